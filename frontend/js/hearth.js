// Hearth front-end behaviour. An ES module, copied as-is to build/static/.
//
// Config comes from data- attributes on <body> (no inline scripts: the CSP
// only allows scripts from 'self' or with a nonce):
//   data-idle-timeout     seconds of inactivity before the server session ends
//   data-idle-warning     seconds before that to show the warning
//   data-keepalive-url    POST here to keep the session alive
//   data-draft-url        POST draft form contents here
//   data-signed-out-url   where to go when the session times out
//   hx-headers            '{"X-CSRFToken": "…"}' (read for the CSRF token)
//
// Features:
//   1. GOV.UK Frontend components, initialised on load and on htmx swaps.
//   2. Idle-timeout warning dialog that saves drafts before signing out.
//   3. Draft autosave for <form data-autosave data-draft-key="…">.
//   4. <button data-confirm="Are you sure?"> asks before submitting.

import { initAll } from './govuk-frontend.min.js'

const body = document.body

// Module scripts only run in browsers GOV.UK Frontend supports, so this
// replaces the template's usual inline script.
body.classList.add('js-enabled', 'govuk-frontend-supported')

// ---------------------------------------------------------------------------
// 1. GOV.UK Frontend components
// ---------------------------------------------------------------------------

function ignoreAlreadyInitialised (error) {
  // Components mark themselves with data-<module>-init; initialising again
  // raises InitError, which is expected when scopes overlap.
  if (error && error.name === 'InitError') return
  console.error(error)
}

function initGovuk (scope) {
  if (!(scope instanceof Element) || !scope.isConnected) return
  // querySelectorAll does not match the scope element itself, so if the
  // swapped element is a component root, search from its parent.
  const root = scope.matches('[data-module]') && scope.parentElement ? scope.parentElement : scope
  initAll({ scope: root, onError: ignoreAlreadyInitialised })
}

initAll({ onError: ignoreAlreadyInitialised })

document.addEventListener('htmx:load', (event) => initGovuk(event.target))

// Rich-text editors (case notes): loaded only where a page has one, so a missing file never stops the rest.
const initRichText = (scope) => scope.querySelector && scope.querySelector('[data-rich-text]') && import('./rich-text.js').then((m) => m.initRichText(scope)).catch((error) => console.error(error))
initRichText(document)
document.addEventListener('htmx:load', (event) => initRichText(event.target))
document.addEventListener('htmx:afterSwap', (event) => {
  const target = event.detail && event.detail.target
  if (target) initGovuk(target)
})

// ---------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------

function readCookie (name) {
  const prefix = name + '='
  for (const part of document.cookie.split(';')) {
    const item = part.trim()
    if (item.startsWith(prefix)) return decodeURIComponent(item.slice(prefix.length))
  }
  return ''
}

function csrfToken () {
  const headers = body.getAttribute('hx-headers')
  if (headers) {
    try {
      const token = JSON.parse(headers)['X-CSRFToken']
      if (token) return token
    } catch (_) { /* fall through */ }
  }
  const cookie = readCookie('csrftoken')
  if (cookie) return cookie
  const input = document.querySelector('input[name="csrfmiddlewaretoken"]')
  return input ? input.value : ''
}

function post (url, params, { keepalive = false } = {}) {
  return fetch(url, {
    method: 'POST',
    body: params,
    credentials: 'same-origin',
    keepalive,
    headers: {
      'X-CSRFToken': csrfToken(),
      'X-Requested-With': 'XMLHttpRequest'
    }
  }).then((response) => {
    // A redirect (for example to the sign-in page) means it was not saved.
    if (!response.ok || response.redirected) {
      throw new Error('HTTP ' + response.status)
    }
    return response
  })
}

function timeNow () {
  return new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })
}

// ---------------------------------------------------------------------------
// 3. Draft autosave (defined before the idle timer, which uses it)
// ---------------------------------------------------------------------------
// Form contents are only ever sent to the server, never kept in
// localStorage: council PCs are shared and the data is personal.

const AUTOSAVE_DELAY_MS = 1500
const draftUrl = body.dataset.draftUrl || ''
const autosaveState = new WeakMap()

function stateFor (form) {
  let state = autosaveState.get(form)
  if (!state) {
    state = { timer: null, saving: null, again: false, lastSaved: null, submitting: false }
    autosaveState.set(form, state)
  }
  return state
}

function draftParams (form) {
  const params = new URLSearchParams()
  for (const [name, value] of new FormData(form)) {
    if (name === 'csrfmiddlewaretoken' || name === 'draft_key') continue
    if (typeof value !== 'string') continue // file inputs
    params.append(name, value)
  }
  return params
}

function setStatus (form, text, isError) {
  const status = form.querySelector('[data-autosave-status]')
  if (!status) return
  if (!status.hasAttribute('role')) status.setAttribute('role', 'status')
  status.classList.add('hearth-autosave-status')
  status.classList.toggle('hearth-autosave-status--error', Boolean(isError))
  status.textContent = text
}

function rememberBaseline (scope) {
  const forms = scope.matches && scope.matches('form[data-autosave]')
    ? [scope]
    : Array.from(scope.querySelectorAll ? scope.querySelectorAll('form[data-autosave]') : [])
  for (const form of forms) {
    const state = stateFor(form)
    if (state.lastSaved === null) state.lastSaved = draftParams(form).toString()
  }
}

// Save one form now. Resolves true when saved (or nothing to save).
function saveDraft (form, { keepalive = false } = {}) {
  const state = stateFor(form)
  clearTimeout(state.timer)
  state.timer = null
  if (!draftUrl || !form.isConnected || state.submitting) return Promise.resolve(true)
  if (state.saving) {
    // One save at a time; run once more afterwards with the latest values.
    state.again = true
    return state.saving
  }
  const params = draftParams(form)
  const snapshot = params.toString()
  if (snapshot === state.lastSaved) return Promise.resolve(true)
  params.append('draft_key', form.dataset.draftKey || '')

  // keepalive lets the request outlive a navigation, but browsers refuse
  // keepalive bodies over 64 KiB.
  const useKeepalive = keepalive && snapshot.length < 60000
  state.saving = post(draftUrl, params, { keepalive: useKeepalive })
    .then((response) => response.json().catch(() => ({})))
    .then((result) => {
      if (result && result.saved === false) throw new Error('not saved')
      state.lastSaved = snapshot
      // Prefer the server's clock ("saved_at": "14:32") when it sends one.
      const at = result && typeof result.saved_at === 'string' ? result.saved_at : timeNow()
      setStatus(form, 'Draft saved at ' + at, false)
      return true
    })
    .catch(() => {
      setStatus(form, 'Could not save draft \u2013 your typing is still here', true)
      return false
    })
    .finally(() => {
      state.saving = null
      if (state.again) {
        state.again = false
        saveDraft(form)
      }
    })
  return state.saving
}

function saveAllDrafts (options) {
  const forms = Array.from(document.querySelectorAll('form[data-autosave]'))
  return Promise.all(forms.map((form) => saveDraft(form, options)))
}

function scheduleDraft (event) {
  const target = event.target
  if (!(target instanceof Element)) return
  if (target.matches('input[type="file"]')) return
  const form = target.closest('form[data-autosave]')
  if (!form) return
  const state = stateFor(form)
  if (state.lastSaved === null) state.lastSaved = ''
  clearTimeout(state.timer)
  state.timer = setTimeout(() => saveDraft(form), AUTOSAVE_DELAY_MS)
}

if (draftUrl) {
  rememberBaseline(document)
  document.addEventListener('htmx:load', (event) => rememberBaseline(event.target))
  document.addEventListener('input', scheduleDraft)
  document.addEventListener('change', scheduleDraft)
  // A real submit supersedes the draft: stop pending saves racing it.
  document.addEventListener('submit', (event) => {
    const form = event.target
    if (form instanceof HTMLFormElement && form.matches('[data-autosave]')) {
      const state = stateFor(form)
      clearTimeout(state.timer)
      state.timer = null
      state.submitting = true
      // If the submit is cancelled (e.g. by htmx), allow saving again.
      setTimeout(() => { state.submitting = false }, 3000)
    }
  })
}

// ---------------------------------------------------------------------------
// 2. Idle timeout warning
// ---------------------------------------------------------------------------

const ACTIVITY_KEY = 'hearth:lastActivity'
const KEEPALIVE_KEY = 'hearth:lastKeepalive'
// Sign out this many seconds before the server session expires, so the
// final draft save still has a valid session.
const EXPIRY_MARGIN_S = 5

const idleTimeout = parseInt(body.dataset.idleTimeout || '', 10)
const idleWarning = parseInt(body.dataset.idleWarning || '', 10)
const keepaliveUrl = body.dataset.keepaliveUrl || ''
const signedOutUrl = body.dataset.signedOutUrl || ''

const memoryStore = {}
function storeGet (key) {
  try {
    const value = window.localStorage.getItem(key)
    if (value !== null) return Number(value) || 0
  } catch (_) { /* storage disabled */ }
  return memoryStore[key] || 0
}
function storeSet (key, value) {
  memoryStore[key] = value
  try { window.localStorage.setItem(key, String(value)) } catch (_) { /* storage disabled */ }
}

function formatDuration (totalSeconds) {
  const s = Math.max(0, Math.ceil(totalSeconds))
  const minutes = Math.floor(s / 60)
  const seconds = s % 60
  const parts = []
  if (minutes) parts.push(minutes + (minutes === 1 ? ' minute' : ' minutes'))
  if (seconds || !minutes) parts.push(seconds + (seconds === 1 ? ' second' : ' seconds'))
  return parts.join(' ')
}

function buildDialog () {
  const dialog = document.createElement('dialog')
  dialog.className = 'hearth-timeout-dialog'
  dialog.id = 'hearth-timeout-dialog'
  dialog.setAttribute('role', 'alertdialog')
  dialog.setAttribute('aria-modal', 'true')
  dialog.setAttribute('aria-labelledby', 'hearth-timeout-heading')
  dialog.setAttribute('aria-describedby', 'hearth-timeout-description')
  dialog.innerHTML =
    '<h2 class="govuk-heading-m hearth-timeout-dialog__heading" id="hearth-timeout-heading" tabindex="-1">' +
      'You will be signed out soon' +
    '</h2>' +
    '<div id="hearth-timeout-description">' +
      '<p class="govuk-body">' +
        'For your security, we will sign you out in ' +
        '<span class="hearth-timeout-dialog__countdown" data-countdown></span>.' +
      '</p>' +
      '<p class="govuk-body" data-timeout-drafts hidden>Your unsaved work is being saved as a draft.</p>' +
    '</div>' +
    '<p class="govuk-visually-hidden" aria-live="polite" aria-atomic="true" data-countdown-live></p>' +
    '<div class="govuk-button-group">' +
      '<button type="button" class="govuk-button" data-module="govuk-button" data-timeout-stay>Stay signed in</button>' +
      '<button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button" data-timeout-sign-out>Sign out</button>' +
    '</div>'
  body.appendChild(dialog)
  return dialog
}

function startIdleTimer () {
  if (!(idleTimeout > 0) || !signedOutUrl) return
  const warning = Math.min(Math.max(idleWarning || 0, 0), idleTimeout)
  const expireAfterS = Math.max(idleTimeout - EXPIRY_MARGIN_S, 1)
  const warnAfterS = Math.max(Math.min(idleTimeout - warning, expireAfterS), 0)
  // While active, ping the server now and then so the server session
  // (renewed on every request) tracks activity that made no request.
  const keepaliveEveryMs = Math.max(Math.min(60, idleTimeout / 4), 5) * 1000

  let dialog = null
  let dialogOpen = false
  let expiring = false
  let lastAnnounced = null
  let tickTimer = null

  function lastActivity () {
    return storeGet(ACTIVITY_KEY)
  }

  function sendKeepalive () {
    storeSet(KEEPALIVE_KEY, Date.now())
    if (!keepaliveUrl) return Promise.resolve()
    return post(keepaliveUrl, new URLSearchParams())
  }

  function recordActivity (fromServer) {
    if (dialogOpen || expiring) return // only "Stay signed in" extends it now
    const now = Date.now()
    storeSet(ACTIVITY_KEY, now)
    if (fromServer) {
      storeSet(KEEPALIVE_KEY, now)
    } else if (now - storeGet(KEEPALIVE_KEY) > keepaliveEveryMs) {
      sendKeepalive().catch(() => {})
    }
  }

  function openDialog () {
    if (!dialog) {
      dialog = buildDialog()
      dialog.querySelector('[data-timeout-stay]').addEventListener('click', staySignedIn)
      dialog.querySelector('[data-timeout-sign-out]').addEventListener('click', signOutNow)
      // Escape means "stay signed in" rather than dismissing the warning.
      dialog.addEventListener('cancel', (event) => {
        event.preventDefault()
        staySignedIn()
      })
      initGovuk(dialog)
    }
    dialogOpen = true
    dialog.querySelector('[data-timeout-drafts]').hidden =
      !(draftUrl && document.querySelector('form[data-autosave]'))
    dialog.querySelector('[data-countdown-live]').textContent = ''
    // The description (with the countdown) is read out when the dialog
    // opens; the live region then only announces later milestones.
    lastAnnounced = undefined
    updateCountdown()
    if (typeof dialog.showModal === 'function') {
      dialog.showModal()
    } else {
      dialog.setAttribute('open', '')
    }
    dialog.querySelector('[data-timeout-stay]').focus()
    saveAllDrafts()
  }

  function closeDialog () {
    dialogOpen = false
    if (!dialog) return
    if (typeof dialog.close === 'function' && dialog.open) {
      dialog.close()
    } else {
      dialog.removeAttribute('open')
    }
  }

  function updateCountdown () {
    if (!dialog) return
    const idleS = (Date.now() - lastActivity()) / 1000
    const remaining = expireAfterS - idleS
    dialog.querySelector('[data-countdown]').textContent = formatDuration(remaining)
    // Screen readers: announce each minute, then every 15 seconds.
    const step = remaining > 60 ? 60 : 15
    const bucket = Math.ceil(Math.max(remaining, 0) / step) * step
    if (lastAnnounced === undefined) {
      lastAnnounced = bucket
    } else if (bucket !== lastAnnounced) {
      lastAnnounced = bucket
      dialog.querySelector('[data-countdown-live]').textContent =
        'We will sign you out in ' + formatDuration(bucket) + '.'
    }
  }

  function staySignedIn () {
    const button = dialog && dialog.querySelector('[data-timeout-stay]')
    if (button) button.disabled = true
    sendKeepalive()
      .then(() => {
        closeDialog()
        recordActivity(true)
      })
      .catch(() => expire())
      .finally(() => { if (button) button.disabled = false })
  }

  function signOutNow () {
    expiring = true
    closeDialog()
    saveAllDrafts().finally(() => {
      const form = document.getElementById('hearth-sign-out-form')
      if (form instanceof HTMLFormElement) {
        form.submit()
      } else {
        goToSignedOut()
      }
    })
  }

  function goToSignedOut () {
    const next = window.location.pathname + window.location.search
    const separator = signedOutUrl.includes('?') ? '&' : '?'
    window.location.assign(signedOutUrl + separator + 'next=' + encodeURIComponent(next))
  }

  function expire () {
    if (expiring) return
    expiring = true
    clearInterval(tickTimer)
    // Give the final draft save a few seconds at most, then leave.
    const giveUp = new Promise((resolve) => setTimeout(resolve, 4000))
    Promise.race([saveAllDrafts({ keepalive: true }), giveUp]).finally(goToSignedOut)
  }

  function tick () {
    if (expiring) return
    const idleS = (Date.now() - lastActivity()) / 1000
    if (idleS >= expireAfterS) {
      expire()
    } else if (idleS >= warnAfterS) {
      if (!dialogOpen) {
        openDialog()
      } else {
        updateCountdown()
      }
    } else if (dialogOpen) {
      // Activity in another tab (shared through localStorage).
      closeDialog()
    }
  }

  // Loading this page was a request: the server session was just renewed.
  recordActivity(true)

  let lastScroll = 0
  const onActivity = () => recordActivity(false)
  for (const type of ['keydown', 'click', 'input', 'pointerdown']) {
    document.addEventListener(type, onActivity, { capture: true, passive: true })
  }
  window.addEventListener('scroll', () => {
    const now = Date.now()
    if (now - lastScroll > 1000) {
      lastScroll = now
      onActivity()
    }
  }, { passive: true })
  // htmx requests renew the server session too.
  document.addEventListener('htmx:afterRequest', (event) => {
    const xhr = event.detail && event.detail.xhr
    if (xhr && xhr.status >= 200 && xhr.status < 400) recordActivity(true)
  })
  window.addEventListener('storage', (event) => {
    if (event.key === ACTIVITY_KEY) tick()
  })
  // Background tabs have throttled timers: check as soon as we are visible.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') tick()
  })
  // Restored from the back/forward cache: no request was made.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) {
      expiring = false
      clearInterval(tickTimer)
      tickTimer = setInterval(tick, 1000)
      tick()
    }
  })

  tickTimer = setInterval(tick, 1000)
}

startIdleTimer()

// ---------------------------------------------------------------------------
// 4. Confirm before submit
// ---------------------------------------------------------------------------
// Capture phase, so a cancelled confirm stops the event before htmx or the
// GOV.UK double-click guard see it.

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('[data-confirm]') : null
  if (!target) return
  const message = target.getAttribute('data-confirm')
  if (message && !window.confirm(message)) {
    event.preventDefault()
    event.stopImmediatePropagation()
  }
}, { capture: true })
