// jsdom with the Fetch API classes of Node (Response, Request, Headers), which jsdom lacks:
// the API client's tests build real Responses. jsdom keeps its own AbortController, File, etc.
const { TestEnvironment } = require('jest-environment-jsdom');

const FROM_NODE = [
  'Response',
  'Request',
  'Headers',
  'ReadableStream',
  'TextEncoder',
  'TextDecoder',
];

class JsdomWithFetch extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of FROM_NODE) {
      if (this.global[name] === undefined && globalThis[name] !== undefined) {
        this.global[name] = globalThis[name];
      }
    }
  }
}

module.exports = JsdomWithFetch;
