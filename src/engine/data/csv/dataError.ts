// The error for problems with the user's data.
import { UsageError } from '../../../shared/options';

/** A problem with the user's data, with a message that says what is wrong and how to fix it (printed as a one-line reason). */
export class DataError extends UsageError {
  override name = 'DataError';
}
