import { ApiError, describeError } from '../api';

export interface FormErrorValue {
  message: string;
  details: readonly string[];
}

/** An error as a form shows it: the sentence, plus the API's list of problems when it sent one. */
export function toFormError(e: unknown): FormErrorValue {
  return { message: describeError(e), details: e instanceof ApiError ? e.details : [] };
}
