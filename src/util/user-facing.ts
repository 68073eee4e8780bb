/**
 * An error whose message is one line for a person: the CLI prints it and exits 2, with no
 * stack (cli/errors.ts counts anything carrying `userFacing === true`).
 */
export class UserFacingError extends Error {
  readonly userFacing = true;
}
