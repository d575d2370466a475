// The error for problems with the user's data.
import { UsageError } from '../../../shared/options';

/** Line breaks, which a message quoting the file (a quoted cell or header may hold them) must not carry. */
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g;

/**
 * A problem with the user's data, with a message that says what is wrong and how to fix it (printed as a one-line
 * reason): any line break that a quoted value brought into it reads as `\n`.
 */
export class DataError extends UsageError {
  override name = 'DataError';

  constructor(message: string) {
    super(message.replace(LINE_BREAKS, (lineBreak) => JSON.stringify(lineBreak).slice(1, -1)));
  }
}
