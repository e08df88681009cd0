// jsdom lacks a few browser APIs that Recharts and the app use.
class ResizeObserverStub {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}

if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = ResizeObserverStub as unknown as typeof ResizeObserver;
}

// toBeInTheDocument(), toHaveTextContent()... on the `expect` of @jest/globals.
import '@testing-library/jest-dom/jest-globals';
