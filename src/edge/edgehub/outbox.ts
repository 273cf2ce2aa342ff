// The persisted upstream outbox (beyond KubeEdge, whose edgehub loses in-flight upstream messages
// on a disconnect or restart: kubeedge#6615, #4995). One table in edgecore.db; rows leave it when
// the cloud acks them, or right after they are written when the cloud does not ack (KubeEdge cloudcore).
import type Database from 'better-sqlite3';
import { encodeMessage, type Message } from '../../core/index.js';

export interface OutboxRow {
  seq: number;
  msgId: string;
  /** The encoded frame, sent as stored. */
  text: string;
}

interface RawRow {
  seq: number;
  msg_id: string;
  message: string;
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  msg_id TEXT UNIQUE,
  message TEXT NOT NULL,
  created INTEGER
)`;

export class Outbox {
  private readonly insertStmt: Database.Statement<[string, string, number]>;
  private readonly afterStmt: Database.Statement<[number, number], RawRow>;
  private readonly deleteStmt: Database.Statement<[string]>;
  private readonly countStmt: Database.Statement<[], { n: number }>;

  constructor(db: Database.Database) {
    db.exec(SCHEMA);
    // OR IGNORE: enqueueing the same msg_id twice keeps the first row and its place in the order.
    this.insertStmt = db.prepare('INSERT OR IGNORE INTO outbox (msg_id, message, created) VALUES (?, ?, ?)');
    this.afterStmt = db.prepare('SELECT seq, msg_id, message FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?');
    this.deleteStmt = db.prepare('DELETE FROM outbox WHERE msg_id = ?');
    this.countStmt = db.prepare('SELECT COUNT(*) AS n FROM outbox');
  }

  /** Persists `msg` synchronously; returns false when a row with its msg_id already exists. */
  add(msg: Message, now: number): boolean {
    return this.insertStmt.run(msg.header.msg_id, encodeMessage(msg), now).changes > 0;
  }

  /** Up to `limit` rows with seq > `afterSeq`, oldest first. */
  after(afterSeq: number, limit: number): OutboxRow[] {
    return this.afterStmt.all(afterSeq, limit).map((r) => ({ seq: r.seq, msgId: r.msg_id, text: r.message }));
  }

  /** Removes the row of `msgId`; true when there was one. */
  remove(msgId: string): boolean {
    return this.deleteStmt.run(msgId).changes > 0;
  }

  depth(): number {
    return this.countStmt.get()?.n ?? 0;
  }
}
