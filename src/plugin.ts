/** The strikes Vitest plugin (placeholder until the reporter lands). */
export function strikes(): { name: string } {
  return { name: 'strikes' }
}
