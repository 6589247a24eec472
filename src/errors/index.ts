/** Typed errors with stable codes, and how each surface (CLI, HTTP) renders them. */
export { ERRORS, type ErrorCode } from './catalogue.js';
export {
  WardenError,
  isWardenError,
  toWardenError,
  formatErrorLine,
  toHttpError,
  EXIT,
} from './warden-error.js';
