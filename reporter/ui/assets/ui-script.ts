/**
 * The client script, served from the server itself as an ES module (`script-src 'self'`; no inline script,
 * no `eval`, nothing fetched from elsewhere). Pages work without it; it adds: live updates over server-sent
 * events (the Sessions page refreshes its list when a session lands, other pages show a banner), the
 * keyboard shortcuts, whole-row links, filters applied as soon as a select changes, and self-retrying pages
 * while the database is locked or missing. It only ever inserts markup the server rendered and escaped.
 */
export const UI_SCRIPT = `const body = document.body
const live = document.getElementById('live')
const banner = document.getElementById('banner')
const bannerText = document.getElementById('banner-text')
const bannerLink = document.getElementById('banner-link')
let version = body.dataset.version || ''

function showBanner(text, href, linkText) {
  if (!banner || !bannerText || !bannerLink) return
  bannerText.textContent = text
  bannerLink.setAttribute('href', href)
  bannerLink.textContent = linkText
  banner.hidden = false
}

function sessionHref(id) {
  return '/session/' + encodeURIComponent(id)
}

async function refreshSessions(data) {
  const response = await fetch(location.href, {
    headers: { accept: 'text/html' },
    credentials: 'same-origin',
  })
  if (!response.ok) throw new Error('refresh failed: ' + response.status)
  const fresh = new DOMParser().parseFromString(await response.text(), 'text/html')
  for (const id of ['session-count', 'trend', 'sessions-list']) {
    const next = fresh.getElementById(id)
    const current = document.getElementById(id)
    if (next && current) current.replaceWith(document.importNode(next, true))
  }
  version = fresh.body.dataset.version || data.token
  body.dataset.version = version
  const latest = data.latest
  if (latest) {
    const text = 'Session ' + latest.id.slice(0, 8) + ' (' + latest.status + ') is in the list.'
    showBanner(text, sessionHref(latest.id), 'open it')
  }
}

async function onData(data) {
  if (body.dataset.retry !== undefined) {
    location.reload()
    return
  }
  if (!version || data.token === version) return
  if (body.dataset.page === 'sessions') {
    try {
      await refreshSessions(data)
      return
    } catch {
      // fall back to the banner
    }
  }
  const latest = data.latest
  showBanner(
    latest
      ? 'New data: session ' + latest.id.slice(0, 8) + ' (' + latest.status + ') landed.'
      : 'The database changed.',
    latest ? sessionHref(latest.id) : location.href,
    latest ? 'open it' : 'reload',
  )
}

function connect() {
  if (!('EventSource' in window) || !live) return
  const source = new EventSource('/events')
  source.addEventListener('open', () => {
    live.dataset.state = 'open'
    live.textContent = 'live'
  })
  source.addEventListener('error', () => {
    live.dataset.state = 'closed'
    live.textContent = 'reconnecting…'
  })
  source.addEventListener('data', (event) => {
    try {
      void onData(JSON.parse(event.data))
    } catch {
      // a malformed event is ignored
    }
  })
}

function rows() {
  return Array.from(document.querySelectorAll('tr[data-href]'))
}

let current = -1
function moveRow(step) {
  const list = rows()
  if (list.length === 0) return
  const focused = list.findIndex((row) => row.contains(document.activeElement))
  const from = focused >= 0 ? focused : current
  current = Math.min(list.length - 1, Math.max(0, from + step))
  for (const row of list) row.classList.remove('focused')
  const row = list[current]
  row.classList.add('focused')
  const link = row.querySelector('a[href]')
  if (link) link.focus()
  row.scrollIntoView({ block: 'nearest' })
}

function follow(selector) {
  const link = document.querySelector(selector)
  if (link) link.click()
}

let pendingG = 0
document.addEventListener('keydown', (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return
  const target = event.target instanceof Element ? event.target : null
  if (target && target.closest('input, select, textarea, [contenteditable="true"]')) {
    if (event.key === 'Escape') target.blur()
    return
  }
  const afterG = Date.now() - pendingG < 1500
  pendingG = 0
  switch (event.key) {
    case '/': {
      const field =
        document.getElementById('q') || document.querySelector('form.filters input, form.filters select')
      if (field) {
        event.preventDefault()
        field.focus()
      }
      break
    }
    case 'j':
      moveRow(1)
      break
    case 'k':
      moveRow(-1)
      break
    case 'n':
      follow('a[rel="next"]')
      break
    case 'p':
      follow('a[rel="prev"], a[rel="first"]')
      break
    case 'g':
      pendingG = Date.now()
      break
    case 's':
      if (afterG) location.href = '/'
      break
    case 'c':
      if (afterG) location.href = '/compare'
      break
    case '?': {
      const dialog = document.getElementById('shortcuts')
      if (dialog && typeof dialog.showModal === 'function' && !dialog.open) dialog.showModal()
      break
    }
  }
})

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null
  if (!target) return
  const back = target.closest('[data-back]')
  if (back && history.length > 1) {
    event.preventDefault()
    history.back()
    return
  }
  if (target.closest('a, button, input, select, summary, label, details')) return
  const row = target.closest('tr[data-href]')
  if (row && !window.getSelection()?.toString()) location.href = row.getAttribute('data-href')
})

// A GET form's empty fields are left out of the address, so it stays short and readable.
document.addEventListener('submit', (event) => {
  const form = event.target instanceof HTMLFormElement ? event.target : null
  if (!form || form.getAttribute('method') === 'dialog') return
  if ((form.method || 'get').toLowerCase() !== 'get') return
  event.preventDefault()
  const params = new URLSearchParams()
  for (const [name, value] of new FormData(form)) {
    if (typeof value === 'string' && value.trim() !== '') params.append(name, value.trim())
  }
  const action = new URL(form.getAttribute('action') || location.pathname, location.href)
  const query = params.toString()
  location.assign(action.pathname + (query === '' ? '' : '?' + query))
})

document.addEventListener('change', (event) => {
  const target = event.target instanceof Element ? event.target : null
  if (target && target.matches('select[data-autosubmit]') && target.form) target.form.requestSubmit()
})

async function fillPreviews() {
  const list = Array.from(document.querySelectorAll('tr[data-span]')).filter((row) =>
    row.querySelector('td[data-preview]'),
  )
  if (list.length === 0) return
  const params = new URLSearchParams()
  for (const row of list) {
    params.append('r', row.dataset.run || '')
    params.append('s', row.dataset.span || '')
  }
  let found = new Map()
  let failed = false
  try {
    const response = await fetch('/previews?' + params.toString(), {
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    })
    if (!response.ok) throw new Error('previews: ' + response.status)
    const data = await response.json()
    found = new Map(data.previews.map((entry) => [JSON.stringify([entry.run, entry.span]), entry]))
  } catch {
    failed = true
  }
  for (const row of list) {
    const entry = found.get(JSON.stringify([row.dataset.run, row.dataset.span]))
    for (const cell of row.querySelectorAll('td[data-preview]')) {
      const text = entry ? entry[cell.dataset.preview] : null
      cell.textContent = text || (failed ? '(not loaded)' : '—')
      if (text) cell.setAttribute('title', text)
      else cell.classList.add('muted')
      cell.removeAttribute('data-preview')
    }
  }
  body.dataset.previews = failed ? 'failed' : 'loaded'
}

void fillPreviews()

if (body.dataset.retry !== undefined) {
  const seconds = Number(body.dataset.retry) || 5
  setTimeout(() => location.reload(), seconds * 1000)
}

connect()
`
