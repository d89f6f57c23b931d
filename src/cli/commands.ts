import { allow } from './allow.js';
import { checkPr } from './check-pr.js';
import type { CommandSpec } from './command.js';
import { commentCommand } from './comment.js';
import { demo } from './demo.js';
import { importCommand } from './import.js';
import { init } from './init.js';
import { preflight } from './preflight.js';
import { promote } from './promote.js';
import { rescore } from './rescore.js';

/**
 * Every `qualify` subcommand, by the name users type, in the order `--help` and
 * docs/cli.md list them (DESIGN.md section 5). Help text, argument parsing and
 * the reference are generated from this one table.
 *
 * @example
 * COMMANDS['check-pr'].options.base.value // '<ref>'
 */
export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  init,
  demo,
  'check-pr': checkPr,
  preflight,
  promote,
  allow,
  comment: commentCommand,
  import: importCommand,
  rescore,
};
