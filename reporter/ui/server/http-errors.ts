/** Errors a page handler throws to answer with a status other than 200: an unknown id, a malformed URL. */

/** What the URL names does not exist (an unknown session, run or task): answered with 404. */
export class NotFoundError extends Error {
  override name = 'NotFoundError'
}

/** The URL's parameters do not make sense (a bad number, an unknown sort key): answered with 400. */
export class BadRequestError extends Error {
  override name = 'BadRequestError'
}
