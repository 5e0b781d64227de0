// Runs in every frame of a stand-in window before the page's own scripts (a Playwright init
// script), with the stand-in's IPC binding (`config.binding`) already defined by Playwright.
//
// In every frame it reports Content-Security-Policy violations to the stand-in. In the top frame
// only (Electron runs no preload in subframes) it runs the preload bundle the way a sandboxed
// Electron renderer does: in a function scope whose `require` knows only 'electron'
// (contextBridge, ipcRenderer), after taking the binding off `window` so the page cannot reach it.
// Subframes keep the raw binding: a test uses it to play a compromised frame that reached IPC.
/* global document */
// The stand-in appends `(config, preload)` to this expression, which calls it.
// eslint-disable-next-line @typescript-eslint/no-unused-expressions
;(function standInRenderer(config, preload) {
  'use strict'
  var binding = globalThis[config.binding]
  if (typeof binding !== 'function') return
  var freeze = Object.freeze
  var keys = Object.keys
  var isArray = Array.isArray
  var clone = globalThis.structuredClone
  var defineProperty = Object.defineProperty
  var PromiseCtor = Promise
  var then = Promise.prototype.then
  var call = function (message) {
    return binding(message)
  }

  document.addEventListener('securitypolicyviolation', function (event) {
    call({
      kind: 'csp',
      directive: event.violatedDirective,
      blocked: event.blockedURI,
      source: event.sourceFile + ':' + event.lineNumber
    })
  })

  if (globalThis !== globalThis.top) return
  delete globalThis[config.binding]

  // IPC replies arrive as JSON text with tagged values (reply-codec.ts); only a reply that has tags
  // needs the walk that turns them back.
  var parseJson = JSON.parse
  function revive(value) {
    if (value === null || typeof value !== 'object') return value
    if (isArray(value)) {
      for (var i = 0; i < value.length; i++) value[i] = revive(value[i])
      return value
    }
    var tag = value['\u0000']
    if (tag === 'undefined') return undefined
    if (tag === 'number') return Number(value.value)
    if (tag === 'bigint') return BigInt(value.value)
    if (tag === 'date') return new Date(value.value)
    if (tag === 'map') return new Map(revive(value.value))
    if (tag === 'set') return new Set(revive(value.value))
    var names = keys(value)
    for (var j = 0; j < names.length; j++) value[names[j]] = revive(value[names[j]])
    return value
  }
  function decodeReply(text) {
    var parsed = parseJson(text)
    return text.indexOf('"\\u0000"') >= 0 ? revive(parsed) : parsed
  }

  // contextBridge's copy rules: primitives, plain objects and arrays (copied, prototypes dropped,
  // frozen), functions (proxied, their arguments and results copied too), promises, errors
  // (message only) and dates. Nothing the preload holds is reachable from what the page gets.
  function copyError(error) {
    return new Error(error && typeof error.message === 'string' ? error.message : String(error))
  }
  function copy(value, depth) {
    if (depth > 1000) throw new Error('An object could not be cloned.')
    if (value === null) return null
    var type = typeof value
    if (type === 'undefined' || type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint')
      return value
    if (type === 'symbol') throw new Error('An object could not be cloned.')
    if (type === 'function') return bridgeFunction(value)
    if (value instanceof PromiseCtor) {
      return new PromiseCtor(function (resolve, reject) {
        then.call(
          value,
          function (result) {
            resolve(copy(result, 0))
          },
          function (error) {
            reject(copyError(error))
          }
        )
      })
    }
    if (value instanceof Error) return copyError(value)
    if (value instanceof Date) return new Date(value.getTime())
    if (isArray(value)) {
      var list = []
      for (var i = 0; i < value.length; i++) list.push(copy(value[i], depth + 1))
      return freeze(list)
    }
    var out = {}
    var names = keys(value)
    for (var j = 0; j < names.length; j++) out[names[j]] = copy(value[names[j]], depth + 1)
    return freeze(out)
  }
  function bridgeFunction(fn) {
    return function () {
      var args = []
      for (var i = 0; i < arguments.length; i++) args.push(copy(arguments[i], 0))
      var result
      try {
        result = fn.apply(undefined, args)
      } catch (error) {
        throw copyError(error)
      }
      return copy(result, 0)
    }
  }

  var contextBridge = freeze({
    exposeInMainWorld: function (key, api) {
      if (Object.prototype.hasOwnProperty.call(globalThis, key)) {
        throw new Error('Cannot bind an API on top of an existing property on the window object')
      }
      defineProperty(globalThis, key, { value: copy(api, 0), enumerable: true, writable: false, configurable: false })
    }
  })

  // Messages main sends (webContents.send) arrive through a receiver only the stand-in knows the name of.
  var listeners = {}
  defineProperty(globalThis, config.receiver, {
    value: function (channel, args) {
      var list = (listeners[channel] || []).slice()
      for (var i = 0; i < list.length; i++) list[i].apply(undefined, [{ sender: ipcRenderer, ports: [] }].concat(args))
    },
    enumerable: false
  })
  var ipcRenderer = freeze({
    invoke: function (channel) {
      var args
      try {
        args = clone(Array.prototype.slice.call(arguments, 1))
      } catch (error) {
        return PromiseCtor.reject(error)
      }
      return then.call(call({ kind: 'invoke', channel: String(channel), args: args }), function (text) {
        var reply = decodeReply(text)
        if (reply.ok) return reply.value
        throw new Error(reply.message)
      })
    },
    send: function (channel) {
      var args = clone(Array.prototype.slice.call(arguments, 1))
      call({ kind: 'send', channel: String(channel), args: args })
    },
    on: function (channel, listener) {
      ;(listeners[channel] = listeners[channel] || []).push(listener)
      return ipcRenderer
    },
    once: function (channel, listener) {
      var wrapped = function () {
        ipcRenderer.removeListener(channel, wrapped)
        listener.apply(undefined, arguments)
      }
      return ipcRenderer.on(channel, wrapped)
    },
    removeListener: function (channel, listener) {
      listeners[channel] = (listeners[channel] || []).filter(function (l) {
        return l !== listener
      })
      return ipcRenderer
    },
    off: function (channel, listener) {
      return ipcRenderer.removeListener(channel, listener)
    },
    removeAllListeners: function (channel) {
      if (channel === undefined) listeners = {}
      else delete listeners[channel]
      return ipcRenderer
    }
  })

  var electron = freeze({ contextBridge: contextBridge, ipcRenderer: ipcRenderer })
  function sandboxedRequire(name) {
    if (name === 'electron' || name === 'electron/renderer') return electron
    throw new Error("Cannot find module '" + name + "' (a sandboxed preload can require only 'electron')")
  }
  var process = freeze({
    type: 'renderer',
    sandboxed: true,
    contextIsolated: true,
    platform: config.platform,
    arch: config.arch,
    versions: freeze({ electron: '45.0.0-standin', chrome: config.chrome }),
    env: freeze({}),
    argv: freeze([])
  })
  var module = { exports: {} }
  try {
    preload.call(module.exports, sandboxedRequire, module, module.exports, process, globalThis)
  } catch (error) {
    console.error('Unable to load preload script: ' + config.preloadPath)
    console.error(String(error && error.stack ? error.stack : error))
    call({ kind: 'preload-error', message: String(error && error.message ? error.message : error) })
  }
})
