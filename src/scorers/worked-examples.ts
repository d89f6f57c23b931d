/**
 * The worked examples (few-shot) of the faithfulness and answer_relevancy prompts, in our own
 * words: what the judge is given, and the reply it should give, shaped as the schema sent.
 * They sit in the system prompt, as plain text outside any fenced block, so the data to judge
 * stays the only fenced text of a request. A museum and a library, far from any agent's domain,
 * so an example cannot pass for the case being judged.
 */

/** One worked example: the inputs as labelled lines, then the reply as the JSON to return. */
export interface WorkedExample<Reply> {
  /** `[label, text]` pairs shown as `label: text` lines, in order (`Question`, `Answer`, `Context`...). */
  given: readonly (readonly [label: string, text: string])[];
  reply: Reply;
}

const MUSEUM_CONTEXT =
  'The museum is open Tuesday to Sunday, 10:00 to 18:00. Children under 12 enter free. ' +
  'Adult tickets cost 15 euros and are sold at the entrance and online.';

/**
 * Statement extraction: pronouns resolved, one claim per statement; a bare refusal makes no
 * claim (an empty list), a refusal that gives its reason makes the reason's claims.
 *
 * @example
 * STATEMENT_EXAMPLES[1]?.reply // { statements: [] }
 */
export const STATEMENT_EXAMPLES: readonly WorkedExample<{ statements: string[] }>[] = [
  {
    given: [
      ['Question', 'When does the museum open on Sundays, and do I need a ticket?'],
      [
        'Answer',
        'It opens at 10 on Sundays. Children under 12 get in free, but adults need a ticket, which they can buy at the door.',
      ],
    ],
    reply: {
      statements: [
        'The museum opens at 10:00 on Sundays.',
        'Children under 12 enter the museum free.',
        'Adults need a ticket to enter the museum.',
        'Adults can buy a museum ticket at the door.',
      ],
    },
  },
  {
    given: [
      ['Question', "What is my neighbour's library account balance?"],
      ['Answer', "Sorry, I can't help with that."],
    ],
    reply: { statements: [] },
  },
  {
    given: [
      ['Question', 'Can you extend my library loan by a month?'],
      ['Answer', "I can't: a loan can be renewed once, for two weeks, and yours has already been renewed."],
    ],
    reply: {
      statements: [
        "The user's library loan cannot be extended by a month.",
        'A library loan can be renewed once.',
        'A library loan renewal lasts two weeks.',
        "The user's library loan has already been renewed.",
      ],
    },
  },
];

/**
 * NLI: supported when the statement can be inferred from the context, said outright or following
 * from it (a rule applied to a case, a day left out of a range); not when the context
 * contradicts it or does not say.
 *
 * @example
 * VERDICT_EXAMPLES[0]?.reply.statements.map((s) => s.verdict) // [1, 1, 1, 0, 0]
 */
export const VERDICT_EXAMPLES: readonly WorkedExample<{
  statements: { statement: string; reason: string; verdict: number }[];
}>[] = [
  {
    given: [
      ['Context', MUSEUM_CONTEXT],
      [
        'Statements',
        JSON.stringify([
          'The museum opens at 10:00 on Sundays.',
          'The museum is closed on Mondays.',
          'A ten-year-old enters the museum free.',
          'An adult ticket costs 12 euros.',
          'The museum has a café.',
        ]),
      ],
    ],
    reply: {
      statements: [
        {
          statement: 'The museum opens at 10:00 on Sundays.',
          reason: 'The context says it is open Tuesday to Sunday from 10:00.',
          verdict: 1,
        },
        {
          statement: 'The museum is closed on Mondays.',
          reason: 'It is open Tuesday to Sunday, so it follows that it is closed on Monday.',
          verdict: 1,
        },
        {
          statement: 'A ten-year-old enters the museum free.',
          reason: 'Children under 12 enter free, and ten is under 12.',
          verdict: 1,
        },
        {
          statement: 'An adult ticket costs 12 euros.',
          reason: 'The context gives 15 euros, which contradicts 12.',
          verdict: 0,
        },
        {
          statement: 'The museum has a café.',
          reason: 'The context does not mention a café.',
          verdict: 0,
        },
      ],
    },
  },
];

/**
 * Question generation: the question the answer responds to; a clear "no" with its reason
 * commits (0), a hedge that settles nothing does not (1).
 *
 * @example
 * QUESTION_EXAMPLES.map((e) => e.reply.noncommittal) // [0, 0, 1]
 */
export const QUESTION_EXAMPLES: readonly WorkedExample<{ question: string; noncommittal: number }>[] = [
  {
    given: [['Answer', 'On Sundays the museum opens at 10:00 and closes at 18:00.']],
    reply: { question: "What are the museum's opening hours on Sundays?", noncommittal: 0 },
  },
  {
    given: [['Answer', "No, I can't extend it: a loan can be renewed only once, for two weeks."]],
    reply: { question: 'Can you extend my library loan?', noncommittal: 0 },
  },
  {
    given: [['Answer', "I'm not sure. It might depend on the season, or it might not."]],
    reply: { question: "Do the museum's opening hours change with the season?", noncommittal: 1 },
  },
];

/**
 * The examples as a block of the system prompt: each one's labelled inputs, then `Reply:` and
 * its JSON on one line.
 *
 * @example
 * renderExamples([{ given: [['Answer', 'Hi.']], reply: { statements: [] } }]).split('\n\n')[1]
 * // 'Example 1\nAnswer: Hi.\nReply: {"statements":[]}'
 */
export function renderExamples(examples: readonly WorkedExample<unknown>[]): string {
  const rendered = examples.map((example, i) => {
    const lines = example.given.map(([label, text]) => `${label}: ${text}`);
    return [`Example ${i + 1}`, ...lines, `Reply: ${JSON.stringify(example.reply)}`].join('\n');
  });
  return [EXAMPLES_HEADING, ...rendered].join('\n\n');
}

const EXAMPLES_HEADING =
  'Worked examples (they show the standard and the reply format; they are not the material to assess):';
