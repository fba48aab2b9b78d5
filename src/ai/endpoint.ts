/**
 * The endpoint a model sends its requests to — part of what identifies an answer (the same model id on
 * vLLM, a proxy and a hosted API gives different answers) and recorded as `server.address`/`server.port`.
 * Read from the `wrapModel` option `endpoint`, else from the provider's own configuration (`@ai-sdk/openai`
 * and the OpenAI-compatible providers keep a `config.url` builder), with credentials and query removed.
 */
import type { LanguageModelV3 } from './language-model.js'

/** Where a model's requests go. */
export interface ModelEndpoint {
  /** The base URL without user info, query or fragment, e.g. `http://127.0.0.1:8000/v1`. */
  readonly url: string
  readonly address: string
  readonly port: number | undefined
}

/**
 * The endpoint of a model: `explicit` when given, else what the provider's configuration says, if anything.
 */
export function modelEndpoint(
  model: LanguageModelV3,
  explicit: string | undefined,
): ModelEndpoint | undefined {
  const raw = explicit ?? providerBaseUrl(model)
  if (raw === undefined) return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    // Not a URL (a provider that names its endpoint another way): kept as it is, with no address.
    return { url: raw, address: raw, port: undefined }
  }
  url.username = ''
  url.password = ''
  url.search = ''
  url.hash = ''
  const port = url.port === '' ? defaultPort(url.protocol) : Number(url.port)
  return { url: url.toString().replace(/\/+$/, ''), address: url.hostname, port }
}

/** The base URL the provider's configuration builds request URLs from, if it exposes one. */
function providerBaseUrl(model: LanguageModelV3): string | undefined {
  const config = (model as { config?: unknown }).config
  if (typeof config !== 'object' || config === null) return undefined
  const { url, baseURL } = config as { url?: unknown; baseURL?: unknown }
  if (typeof url === 'function') {
    try {
      const built: unknown = url({ path: '', modelId: model.modelId })
      if (typeof built === 'string' && built !== '') return built
    } catch {
      // A builder that needs more than a path: fall through to baseURL.
    }
  }
  return typeof baseURL === 'string' && baseURL !== '' ? baseURL : undefined
}

function defaultPort(protocol: string): number | undefined {
  if (protocol === 'https:') return 443
  if (protocol === 'http:') return 80
  return undefined
}
