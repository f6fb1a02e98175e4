import { checkModelInput, ErrorCodes, type ColumnSpec } from 'mlops-kit';

const COLUMNS: ColumnSpec[] = [
  { name: 'hour', type: 'long' },
  { name: 'temperature', type: 'double' },
  { name: 'city', type: 'string', required: false },
];

const refused = (input: unknown) => {
  try {
    checkModelInput(input as never, COLUMNS);
  } catch (error) {
    return error as { code: string; message: string; details: Record<string, unknown> };
  }
  throw new Error('accepted');
};

describe('checkModelInput: the one rule for what a model is asked to score', () => {
  it('takes rows or columns, in any key order, and gives the model its columns in signature order', () => {
    const rows = checkModelInput([{ temperature: 21.5, hour: 8 }, { hour: 9, city: 'Oslo', temperature: 22 }], COLUMNS);
    expect(rows).toEqual({ rows: 2, columns: { hour: [8, 9], temperature: [21.5, 22], city: [undefined, 'Oslo'].map((v) => v ?? null) } });
    const columns = checkModelInput({ temperature: [21.5], hour: [8] }, COLUMNS);
    expect(columns).toEqual({ rows: 1, columns: { hour: [8], temperature: [21.5], city: [null] } });
    expect(checkModelInput([], COLUMNS).rows).toBe(0);
  });

  it('names the column (and row) of a missing, extra or mistyped cell, whichever row brings it', () => {
    expect(refused([{ temperature: 1 }])).toMatchObject({ code: ErrorCodes.MODEL_INPUT_INVALID, details: { column: 'hour' } });
    expect(refused([{ hour: 1, temperature: 1 }, { hour: 2 }]).message).toMatch(/column "temperature" row 1: missing value/);
    // a row whose keys differ from the rows before it is checked afresh
    expect(refused([{ hour: 1, temperature: 1 }, { hour: 1, temperature: 1 }, { hour: 1, temperature: 1, id: 7 }])).toMatchObject({ details: { column: 'id', row: 2 } });
    expect(refused({ hour: [1], temperature: [1], id: [1] })).toMatchObject({ details: { column: 'id' } });
    for (const bad of ['8', Number.NaN, Number.POSITIVE_INFINITY, 8.5, null, true]) {
      expect(refused([{ hour: bad, temperature: 1 }])).toMatchObject({ code: ErrorCodes.MODEL_INPUT_INVALID, details: { column: 'hour', row: 0 } });
    }
    expect(refused([{ hour: 1, temperature: 1 }, { hour: 1, temperature: Number.NaN }]).message).toBe('Model input: column "temperature" row 1: expected a finite number (double), got NaN.');
    expect(refused({ hour: [1, 2], temperature: [1] }).message).toMatch(/"temperature" has 1 values but "hour" has 2/);
    expect(refused([[8, 21.5]])).toMatchObject({ details: { row: 0 } });
  });

  it('reads own keys only: __proto__, constructor and toString are columns like any other, never inherited nor written to Object.prototype', () => {
    expect(refused(JSON.parse('[{"hour": 1, "temperature": 1, "__proto__": {"polluted": true}}]'))).toMatchObject({ details: { column: '__proto__' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const withConstructor: ColumnSpec[] = [...COLUMNS, { name: 'constructor', type: 'double', required: false }];
    expect(checkModelInput([{ hour: 1, temperature: 1 }], withConstructor).columns.constructor).toEqual([null]);
  });
});
