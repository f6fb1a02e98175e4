import { CsvFile } from '../../src/application/csv/csv-reader';

/** A whole CSV file read with the library's own reader: header, rows and the line each row starts on. */
export async function readCsvRows(file: string, keyPath = 'test'): Promise<{ columns: string[]; rows: string[][]; lines: number[] }> {
  const csv = await CsvFile.open({ file, keyPath });
  const rows: string[][] = [];
  const lines: number[] = [];
  for await (const batch of csv.batches()) {
    rows.push(...batch.rows.map((row) => [...row]));
    lines.push(...batch.lines);
  }
  return { columns: [...csv.columns], rows, lines };
}
