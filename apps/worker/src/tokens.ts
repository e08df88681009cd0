export const WORKER_ENV = Symbol('WORKER_ENV');
export const WORKER_LOGGER = Symbol('WORKER_LOGGER');
export const WORKER_VERSION = Symbol('WORKER_VERSION');
