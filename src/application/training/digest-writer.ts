import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';

/**
 * Feeds an md5 through one reused 64 KiB buffer: a cell at a time would allocate a Buffer per cell.
 * Texts are length-prefixed, so no two sequences of values collide by concatenation.
 *
 * @example new DigestWriter().text('hour').double(8).hex(); // 32 hex characters
 */
export class DigestWriter {
  private readonly hash = createHash('md5');
  private readonly buffer = Buffer.alloc(64 * 1024);
  private at = 0;

  byte(value: number): this {
    this.room(1);
    this.buffer[this.at++] = value;
    return this;
  }

  double(value: number): this {
    this.room(8);
    this.at = this.buffer.writeDoubleLE(value, this.at);
    return this;
  }

  int64(value: number): this {
    this.room(8);
    this.at = this.buffer.writeBigInt64LE(BigInt(value), this.at);
    return this;
  }

  text(value: string): this {
    const length = Buffer.byteLength(value, 'utf8');
    this.room(4);
    this.at = this.buffer.writeUInt32LE(length, this.at);
    if (length > this.buffer.length) {
      this.flush();
      this.hash.update(value, 'utf8');
    } else {
      this.room(length);
      this.at += this.buffer.write(value, this.at, 'utf8');
    }
    return this;
  }

  hex(): string {
    this.flush();
    return this.hash.digest('hex');
  }

  private room(bytes: number): void {
    if (this.at + bytes > this.buffer.length) this.flush();
  }

  private flush(): void {
    if (this.at > 0) this.hash.update(this.buffer.subarray(0, this.at));
    this.at = 0;
  }
}
