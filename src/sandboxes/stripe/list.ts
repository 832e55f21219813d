import { ok, type ApiResult, type RequestContext } from './context';
import { invalidRequest, notFound } from './errors';
import type { ParamObject } from './form';
import { expandParam, optionalInteger, optionalString } from './form';
import { expand, type Json } from './render';

/**
 * Stripe's cursor pagination over a list already filtered and sorted newest first: `limit`
 * (1..100, default 10), then either `starting_after` (the page after that object) or
 * `ending_before` (the page before it). An unknown cursor is a 404 `resource_missing`.
 */
export function listPage<T extends { id: string }>(
  newestFirst: readonly T[],
  params: ParamObject,
  objectName: string,
): { page: T[]; hasMore: boolean } {
  const limit = optionalInteger(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100) {
    throw invalidRequest('This value must be greater than or equal to 1 and less than or equal to 100.', {
      code: 'parameter_invalid_integer',
      param: 'limit',
    });
  }
  const startingAfter = optionalString(params, 'starting_after');
  const endingBefore = optionalString(params, 'ending_before');
  if (endingBefore !== undefined) {
    const index = newestFirst.findIndex((item) => item.id === endingBefore);
    if (index === -1) throw notFound(objectName, endingBefore, 'ending_before');
    const before = newestFirst.slice(0, index);
    return { page: before.slice(Math.max(0, before.length - limit)), hasMore: before.length > limit };
  }
  let start = 0;
  if (startingAfter !== undefined) {
    const index = newestFirst.findIndex((item) => item.id === startingAfter);
    if (index === -1) throw notFound(objectName, startingAfter, 'starting_after');
    start = index + 1;
  }
  return { page: newestFirst.slice(start, start + limit), hasMore: start + limit < newestFirst.length };
}

/** A page of `newestFirst` as Stripe's list object (`object: 'list'`, `data`, `has_more`, `url`), expanded as asked. */
export function listAnswer<T extends { id: string }>(
  context: RequestContext,
  params: ParamObject,
  newestFirst: readonly T[],
  list: { objectName: string; url: string; render: (item: T) => Json },
): ApiResult {
  const { page, hasMore } = listPage(newestFirst, params, list.objectName);
  const body = { object: 'list', data: page.map(list.render), has_more: hasMore, url: list.url };
  return ok(expand(body, expandParam(params), context.state, context.nowSeconds));
}
