import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, test } from 'vitest'
import {
  HISTOGRAM_PARTIAL,
  REPORT_TEMPLATE,
  TEXT_PARTIAL,
  VALUES_PARTIAL,
} from '../../reporter/report/report-template.js'
import { recordHostileSessions } from './hostile-session.js'

/** Every piece of hostile text the fixture records, as it must read on the page. */
const HOSTILE_TEXTS = [
  // model output
  '<script>alert("output")</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(2)>',
  '{{constructor.constructor("alert(3)")()}}',
  '{{{triple}}}',
  '</pre></details><script>alert(4)</script>',
  // task name, test names, tag, param
  'Answer <b onclick=alert(5)>',
  'hostile.eval.ts > a task fails with markup in its error <svg onload=alert(7)>',
  '<svg onload=alert("tag")>',
  '<script>alert(\\"param\\")</script> {{param}}',
  // inputs
  'first <img src=x onerror=alert(8)>',
  'second {{question}}',
  '"html": "<iframe src=\\"javascript:alert(10)\\">"',
  // a task's error, and an assertion's
  'Error: <script>alert("error")</script> <img src=x onerror=alert(6)> <svg onload=alert(9)> {{{raw}}}',
  `expected '<script>alert("assert")</script>' to be '{{{triple}}} <svg onload=alert(12)>'`,
  'an assertion fails with markup <img src=x onerror=alert(11)>',
]

/** The elements the report template writes; anything else in the page came from data. */
const TEMPLATE_ELEMENTS = new Set(
  'html head meta title style body header div h1 h2 h3 h4 span dl dt dd code nav ol li a p main section table thead tbody tr th td svg rect details summary pre article b ul footer'.split(
    ' ',
  ),
)

/** The text of an HTML page as a browser shows it: tags dropped, character references decoded. */
function pageText(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&(lt|gt|quot|amp|#x27|#x60|#x3D);/g, (_, name: string) => {
    const decoded: Record<string, string> = {
      lt: '<',
      gt: '>',
      quot: '"',
      amp: '&',
      '#x27': "'",
      '#x60': '`',
      '#x3D': '=',
    }
    return decoded[name] ?? ''
  })
}

/** Each start tag of the page: its name and its attribute names (attribute values are always double-quoted). */
function startTags(html: string): { name: string; attributes: string[] }[] {
  return [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'=<>/]+(?:="[^"]*")?)*)\s*\/?>/g)].map(
    (match) => ({
      name: (match[1] ?? '').toLowerCase(),
      attributes: [...(match[2] ?? '').matchAll(/\s+([^\s"'=<>/]+)/g)].map((attribute) =>
        (attribute[1] ?? '').toLowerCase(),
      ),
    }),
  )
}

describe('the report of a session whose data is full of markup', () => {
  let html: string

  beforeAll(async () => {
    const sessions = await recordHostileSessions(1)
    html = readFileSync(await sessions.render('report.html'), 'utf8')
  })

  test.each(HOSTILE_TEXTS)('shows %s as text', (text) => {
    expect(pageText(html)).toContain(text)
  })

  test('has no script element at all', () => {
    expect(html).not.toMatch(/<script/i)
  })

  test('every tag is one the template writes, and no tag has an event-handler attribute', () => {
    const tags = startTags(html)
    // Every `<` in the page starts one of these tags: data never adds markup.
    expect(tags.length).toBe(html.split('<').length - 1 - (html.match(/<\//g) ?? []).length - 1)
    for (const tag of tags) {
      expect(TEMPLATE_ELEMENTS, `<${tag.name}>`).toContain(tag.name)
      for (const attribute of tag.attributes)
        expect(attribute, `<${tag.name} ${attribute}>`).not.toMatch(/^on/)
    }
  })

  test('links only to its own sections and loads nothing', () => {
    const targets = [...html.matchAll(/\s(href|src|action|xlink:href)="([^"]*)"/g)].map((match) => match[2])
    expect(targets.length).toBeGreaterThan(0)
    for (const target of targets) expect(target).toMatch(/^#run-\d+$/)
  })

  test('declares a Content-Security-Policy that allows no script and no request', () => {
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    )
  })

  test('shows a value too large to record as its start, with its full size', () => {
    expect(pageText(html)).toMatch(
      /<b>topic<\/b>: <script>alert\("long"\)<\/script> \{\{long\}\}.*showing the first [\d,]+ characters of a 1\d\.\d KiB value \(truncated when recorded\)/s,
    )
  })
})

test('the templates escape every value: no triple-stash and no unescaped block anywhere', () => {
  for (const template of [REPORT_TEMPLATE, TEXT_PARTIAL, VALUES_PARTIAL, HISTOGRAM_PARTIAL]) {
    expect(template).not.toContain('{{{')
    expect(template).not.toMatch(/\{\{\s*&/)
    expect(template).not.toMatch(/<script/i)
  }
})
