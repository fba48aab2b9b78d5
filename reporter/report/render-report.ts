/** Renders a report's view model to one self-contained HTML page with Handlebars (autoescaping on). */
import type { TemplateDelegate } from 'handlebars'
import type { ReportModel } from './report-model.js'
import {
  COMPARISON_PARTIAL,
  HISTOGRAM_PARTIAL,
  REPORT_TEMPLATE,
  TEXT_PARTIAL,
  VALUES_PARTIAL,
} from './report-template.js'

let compiled: TemplateDelegate<ReportModel> | undefined

/** Renders the report page. */
export async function renderReportHtml(model: ReportModel): Promise<string> {
  if (compiled === undefined) {
    const { default: Handlebars } = await import('handlebars')
    // An isolated environment: no helpers or partials registered by anyone else apply to the report.
    const environment = Handlebars.create()
    const options = { strict: true, knownHelpersOnly: true, noEscape: false, preventIndent: true } as const
    environment.registerPartial('text', environment.compile(TEXT_PARTIAL, options))
    environment.registerPartial('values', environment.compile(VALUES_PARTIAL, options))
    environment.registerPartial('histogram', environment.compile(HISTOGRAM_PARTIAL, options))
    environment.registerPartial('comparison', environment.compile(COMPARISON_PARTIAL, options))
    compiled = environment.compile<ReportModel>(REPORT_TEMPLATE, options)
  }
  return compiled(model)
}
