// A small rich-text editor for case notes. An ES module, loaded by hearth.js
// only on pages that have one.
//
// Markup (server-rendered, works as a plain textarea without JavaScript):
//   <div data-rich-text>
//     <div class="govuk-form-group">
//       <label class="govuk-label" for="id_body_html">Case note</label>
//       <div id="id_body_html-hint" class="govuk-hint">…</div>
//       <textarea class="govuk-textarea" id="id_body_html" name="body_html">…</textarea>
//     </div>
//   </div>
//
// With JavaScript the textarea is hidden (it still submits) and a
// contenteditable box with a toolbar (bold, italic, bulleted and numbered
// lists) takes its place and its id, so the label, hint, error message and
// error-summary link all point at the box. Every change is written back to
// the textarea as HTML and an `input` event is fired from it, so the draft
// autosave sees it. The server cleans the HTML again (nh3); the cleaning here
// only keeps the editor and drafts tidy.

const ALLOWED = new Set(['P', 'BR', 'STRONG', 'EM', 'UL', 'OL', 'LI', 'A', 'H3'])
// What browsers' editing commands write, and what we store instead.
const RENAME = { B: 'STRONG', I: 'EM', DIV: 'P' }
// Content that is dropped entirely, not unwrapped.
const DROP = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'IFRAME', 'OBJECT', 'EMBED', 'NOSCRIPT', 'SVG', 'MATH', 'HEAD', 'TITLE', 'META', 'LINK'])
const SAFE_LINK = /^(https?:|mailto:)/i
const BLOCKS = new Set(['P', 'UL', 'OL', 'LI', 'H3', 'DIV'])

const COMMANDS = [
  { command: 'bold', label: 'Bold', shortcut: 'Control+B', className: 'hearth-rich-text__button--bold' },
  { command: 'italic', label: 'Italic', shortcut: 'Control+I', className: 'hearth-rich-text__button--italic' },
  { command: 'insertUnorderedList', label: 'Bulleted list' },
  { command: 'insertOrderedList', label: 'Numbered list' }
]

let counter = 0

function hasTags (text) {
  return /<\s*\/?\s*[a-zA-Z][^>]*>/.test(text)
}

function escapeText (text) {
  const div = document.createElement('div')
  div.textContent = text
  return div.innerHTML
}

// Plain text (typed with scripts off, or pasted) as paragraphs and line breaks.
function textToHtml (text) {
  return text
    .replace(/\r\n/g, '\n')
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => '<p>' + escapeText(part).replace(/\n/g, '<br>') + '</p>')
    .join('')
}

function copyAllowed (source, target) {
  for (const node of Array.from(source.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE) {
      target.appendChild(document.createTextNode(node.nodeValue))
      continue
    }
    if (node.nodeType !== Node.ELEMENT_NODE) continue
    const name = RENAME[node.nodeName] || node.nodeName
    if (DROP.has(name)) continue
    // Unknown wrappers (span, font…) go, and so does a paragraph wrapped round a list
    // (what Chrome makes of a list started inside one); what they contain stays.
    const blockInside = name === 'P' && Array.from(node.children).some((child) => BLOCKS.has(child.nodeName))
    if (!ALLOWED.has(name) || blockInside) {
      copyAllowed(node, target)
      continue
    }
    const copy = document.createElement(name.toLowerCase())
    if (name === 'A') {
      const href = (node.getAttribute('href') || '').trim()
      if (SAFE_LINK.test(href)) {
        copy.setAttribute('href', href)
        copy.setAttribute('rel', 'noopener noreferrer')
      }
    }
    copyAllowed(node, copy)
    target.appendChild(copy)
  }
}

// Text typed straight into the box (before any Enter) sits outside a paragraph: give it one.
function wrapLooseText (root) {
  let paragraph = null
  for (const node of Array.from(root.childNodes)) {
    const loose = node.nodeType === Node.TEXT_NODE || !BLOCKS.has(node.nodeName)
    if (!loose) {
      paragraph = null
      continue
    }
    if (!paragraph) {
      if (node.nodeType === Node.TEXT_NODE && !node.nodeValue.trim()) continue
      paragraph = document.createElement('p')
      root.insertBefore(paragraph, node)
    }
    paragraph.appendChild(node)
  }
}

// Parsed in an inert <template>: nothing in it loads or runs.
export function cleanHtml (html) {
  const source = document.createElement('template')
  source.innerHTML = hasTags(html) ? html : textToHtml(html)
  const target = document.createElement('div')
  copyAllowed(source.content, target)
  wrapLooseText(target)
  return target.innerHTML
    .replace(/<p>(\s|<br>)*<\/p>/g, '')
    .trim()
}

function isEmpty (editor) {
  return editor.textContent.trim() === '' && !editor.querySelector('li')
}

function buildToolbar (editorId) {
  const toolbar = document.createElement('div')
  toolbar.className = 'hearth-rich-text__toolbar'
  toolbar.setAttribute('role', 'toolbar')
  toolbar.setAttribute('aria-label', 'Text formatting')
  toolbar.setAttribute('aria-controls', editorId)
  COMMANDS.forEach((item, index) => {
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'hearth-rich-text__button' + (item.className ? ' ' + item.className : '')
    button.dataset.command = item.command
    button.textContent = item.label
    button.setAttribute('aria-pressed', 'false')
    if (item.shortcut) button.setAttribute('aria-keyshortcuts', item.shortcut)
    // One tab stop for the whole toolbar; arrow keys move along it.
    button.tabIndex = index === 0 ? 0 : -1
    toolbar.appendChild(button)
  })
  return toolbar
}

function commandState (command) {
  try {
    return document.queryCommandState(command)
  } catch (_) {
    return false
  }
}

function enhance (wrapper) {
  const textarea = wrapper.querySelector('textarea')
  if (!textarea || wrapper.dataset.richTextReady) return
  wrapper.dataset.richTextReady = 'true'
  const fieldId = textarea.id || 'rich-text-' + (++counter)
  const label = wrapper.querySelector('label[for="' + fieldId + '"]')

  const editor = document.createElement('div')
  editor.className = 'govuk-textarea hearth-rich-text__editor'
  if (textarea.classList.contains('govuk-textarea--error')) editor.classList.add('govuk-textarea--error')
  editor.contentEditable = 'true'
  editor.setAttribute('role', 'textbox')
  editor.setAttribute('aria-multiline', 'true')
  editor.spellcheck = true
  const describedBy = textarea.getAttribute('aria-describedby')
  if (describedBy) editor.setAttribute('aria-describedby', describedBy)
  // Start inside a paragraph, so the first line is one like the rest.
  editor.innerHTML = cleanHtml(textarea.value) || '<p><br></p>'

  // The box takes the field's id, so "#id_body_html" (label, error summary) lands on it.
  textarea.id = fieldId + '-source'
  editor.id = fieldId
  if (label) {
    label.id = label.id || fieldId + '-label'
    label.removeAttribute('for')
    editor.setAttribute('aria-labelledby', label.id)
    label.addEventListener('click', () => editor.focus())
  }
  textarea.hidden = true
  textarea.classList.add('hearth-rich-text__source')
  textarea.setAttribute('aria-hidden', 'true')
  textarea.tabIndex = -1

  const toolbar = buildToolbar(editor.id)
  const buttons = Array.from(toolbar.querySelectorAll('button'))
  textarea.before(toolbar, editor)

  function sync () {
    const value = isEmpty(editor) ? '' : cleanHtml(editor.innerHTML)
    if (value === textarea.value) return
    textarea.value = value
    // The draft autosave listens for input/change bubbling from form fields.
    textarea.dispatchEvent(new Event('input', { bubbles: true }))
  }

  function updateState () {
    const selection = document.getSelection()
    const inside = selection && selection.rangeCount && editor.contains(selection.anchorNode)
    for (const button of buttons) {
      button.setAttribute('aria-pressed', inside && commandState(button.dataset.command) ? 'true' : 'false')
    }
  }

  function run (command) {
    editor.focus()
    try {
      document.execCommand('styleWithCSS', false, false)
      document.execCommand(command, false, null)
    } catch (_) { /* unsupported: typing still works */ }
    sync()
    updateState()
  }

  editor.addEventListener('focus', () => {
    try { document.execCommand('defaultParagraphSeparator', false, 'p') } catch (_) { /* older browsers */ }
  })
  editor.addEventListener('input', sync)
  editor.addEventListener('blur', sync)
  editor.addEventListener('keyup', updateState)
  editor.addEventListener('mouseup', updateState)
  document.addEventListener('selectionchange', () => {
    if (document.activeElement === editor) updateState()
  })
  // Pasted content keeps only what a note may hold.
  editor.addEventListener('paste', (event) => {
    const data = event.clipboardData
    if (!data) return
    event.preventDefault()
    const html = data.getData('text/html')
    const cleaned = html ? cleanHtml(html) : textToHtml(data.getData('text/plain'))
    try {
      document.execCommand('insertHTML', false, cleaned)
    } catch (_) {
      document.execCommand('insertText', false, data.getData('text/plain'))
    }
    sync()
  })

  toolbar.addEventListener('mousedown', (event) => {
    // Keep the selection in the box while clicking a button.
    if (event.target instanceof Element && event.target.closest('button')) event.preventDefault()
  })
  toolbar.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button') : null
    if (button) run(button.dataset.command)
  })
  toolbar.addEventListener('keydown', (event) => {
    const index = buttons.indexOf(document.activeElement)
    if (index < 0) return
    let next = null
    if (event.key === 'ArrowRight') next = (index + 1) % buttons.length
    if (event.key === 'ArrowLeft') next = (index - 1 + buttons.length) % buttons.length
    if (event.key === 'Home') next = 0
    if (event.key === 'End') next = buttons.length - 1
    if (next === null) return
    event.preventDefault()
    buttons[index].tabIndex = -1
    buttons[next].tabIndex = 0
    buttons[next].focus()
  })

  const form = textarea.form
  if (form) form.addEventListener('submit', sync, { capture: true })
}

export function initRichText (scope) {
  const root = scope && scope.querySelectorAll ? scope : document
  const wrappers = Array.from(root.querySelectorAll('[data-rich-text]'))
  if (root.matches && root.matches('[data-rich-text]')) wrappers.unshift(root)
  wrappers.forEach(enhance)
}
