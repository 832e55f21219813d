import { AppError } from '../../errors';

/** Where a newest-first page stopped: the last row's creation time and id (the tie-breaker). */
export interface CreatedAtKey {
  createdAt: Date;
  id: string;
}

/**
 * Keyset pagination of rows newest first, ordered by (created_at DESC, id DESC): the opaque
 * cursor is the last row's key. Query with `orderBy: [{ createdAt: 'desc' }, { id: 'desc' }]`,
 * `where: olderThan(cursor)` and `take: limit + 1`, then cut with `keysetPage`.
 */
export function encodeCursor(key: CreatedAtKey): string {
  return Buffer.from(JSON.stringify([key.createdAt.toISOString(), key.id])).toString('base64url');
}

/** A cursor `encodeCursor` made; anything else is a 400 naming `field`. */
export function decodeCursor(cursor: string, field = 'cursor'): CreatedAtKey {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { createdAt: date, id };
  } catch {
    throw new AppError('VALIDATION_FAILED', `${field} is not one this API returned`, { field });
  }
}

/** The Prisma filter for rows after `key` in (created_at DESC, id DESC) order. */
export function olderThan(key: CreatedAtKey): {
  OR: [{ createdAt: { lt: Date } }, { createdAt: Date; id: { lt: string } }];
} {
  return { OR: [{ createdAt: { lt: key.createdAt } }, { createdAt: key.createdAt, id: { lt: key.id } }] };
}

/** The first `limit` of `rows` (read with `take: limit + 1`) and the cursor after them, if more. */
export function keysetPage<R extends CreatedAtKey>(
  rows: readonly R[],
  limit: number,
): { rows: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
