/**
 * What every response carries and what every request must show: a strict Content-Security-Policy (script,
 * style and images from the server itself only, no inline script or style, no framing, forms only to
 * itself) with the usual hardening headers; only GET and HEAD (nothing writes); and a `Host` header naming
 * the address served — a page of another site whose name an attacker pointed at 127.0.0.1 (DNS rebinding)
 * is refused before anything is read.
 */
import { hostname, networkInterfaces } from 'node:os'

/** The Content-Security-Policy of every page. */
export const UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** Headers sent with every response. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': UI_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), clipboard-read=()',
}

/** Whether an address is the loopback interface. */
export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\.\d+\.\d+\.\d+$/.test(address)
}

/** Whether an address means every interface. */
export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::'
}

function withPort(name: string, port: number): string[] {
  const host = name.includes(':') ? `[${name}]` : name
  return port === 80 ? [`${host}:${port}`, host] : [`${host}:${port}`]
}

/**
 * The `Host` values a request may carry for a server bound to `address` on `port`: that address, and the
 * names of the same machine (`localhost` on loopback; the machine's addresses and name when bound to all).
 */
export function allowedHosts(address: string, port: number): Set<string> {
  const names = new Set<string>([address])
  if (isLoopback(address)) for (const name of ['127.0.0.1', 'localhost', '::1']) names.add(name)
  if (isWildcard(address)) {
    names.add('localhost')
    names.add(hostname())
    for (const list of Object.values(networkInterfaces())) {
      for (const entry of list ?? []) names.add(entry.address)
    }
  }
  const allowed = new Set<string>()
  for (const name of names) for (const value of withPort(name.toLowerCase(), port)) allowed.add(value)
  return allowed
}

/** Whether the request's `Host` header names the served address. */
export function hostAllowed(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  return header !== undefined && allowed.has(header.trim().toLowerCase())
}
