import { allow } from './commands/allow.js';
import { checkPr } from './commands/check-pr.js';
import type { CommandSpec } from './command.js';
import { commentCommand } from './commands/comment.js';
import { demo } from './commands/demo.js';
import { importCommand } from './commands/import.js';
import { init } from './commands/init.js';
import { preflight } from './commands/preflight.js';
import { promote } from './commands/promote.js';
import { rescore } from './commands/rescore.js';
import { shards } from './commands/shards.js';
import { watch } from './commands/watch.js';

/**
 * Every `qualify` subcommand, by the name users type, in the order `--help` and
 * docs/cli.md list them (docs/architecture.md section 5). Help text, argument parsing and
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
  shards,
  watch,
};
