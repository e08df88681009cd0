// toBeInTheDocument(), toHaveTextContent()... on the `expect` of @jest/globals.
import '@testing-library/jest-dom/jest-globals';
import { jest } from '@jest/globals';
import { configure } from '@testing-library/react';

// jsdom lacks a few browser APIs that Recharts and the app use.
class ResizeObserverStub {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}

if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = ResizeObserverStub as unknown as typeof ResizeObserver;
}

// A machine busy with other work renders slower: wait for screens a little longer than the
// defaults before calling an element missing (nothing here measures time).
configure({ asyncUtilTimeout: 5000 });
jest.setTimeout(30_000);
