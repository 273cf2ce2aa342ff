// Splits a TCP byte stream into Modbus TCP frames (ADUs). Pure: fed chunks, returns whole frames, keeps
// the tail of a partial frame for the next chunk. A header that cannot be Modbus TCP (protocol id not 0,
// a length outside 2-254) throws ModbusFrameError: the stream cannot be resynchronised after that, so the
// caller drops the connection.
import { ModbusFrameError } from './errors.js';
import { MAX_PDU_LENGTH, MBAP_LENGTH } from './frame-codec.js';

export interface ModbusAdu {
  transactionId: number;
  unitId: number;
  /** Function code + data. */
  pdu: Buffer;
}

export class AduReader {
  private buffered: Buffer = Buffer.alloc(0);

  /** Bytes held back waiting for the rest of a frame. */
  get pendingBytes(): number {
    return this.buffered.length;
  }

  push(chunk: Uint8Array): ModbusAdu[] {
    this.buffered = this.buffered.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffered, chunk]);
    const out: ModbusAdu[] = [];
    // The header alone (6 bytes) tells protocol id and length, so garbage is refused before waiting for more.
    while (this.buffered.length >= 6) {
      const protocolId = this.buffered.readUInt16BE(2);
      const length = this.buffered.readUInt16BE(4);
      if (protocolId !== 0) throw new ModbusFrameError(`protocol id ${protocolId}, expected 0`);
      if (length < 2 || length > MAX_PDU_LENGTH + 1) throw new ModbusFrameError(`MBAP length ${length} is not 2-${MAX_PDU_LENGTH + 1}`);
      const total = 6 + length;
      if (this.buffered.length < total) break;
      out.push({
        transactionId: this.buffered.readUInt16BE(0),
        unitId: this.buffered.readUInt8(6),
        pdu: Buffer.from(this.buffered.subarray(MBAP_LENGTH, total)),
      });
      this.buffered = this.buffered.subarray(total);
    }
    return out;
  }
}
