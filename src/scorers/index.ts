/** Built-in scorers (filled by the scorers work). */
export { scorer } from '../scorer.js'
