/**
 * The mark every instance of the package's reporter (its default export) carries, so the plugin can tell
 * that a reporter list already holds strikes' reporter, however it was given (name, path or instance).
 */
export const STRIKES_REPORTER_MARK: unique symbol = Symbol.for('strikes.reporter-entry') as never
