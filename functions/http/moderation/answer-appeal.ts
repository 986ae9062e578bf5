import { AnswerInput, answerAppeal } from '../../../shared/domain/moderation/appeals.ts';
import { memberRoute } from '../../../shared/http/handler.ts';

export const handler = memberRoute(
  { route: 'moderation.answerAppeal', body: AnswerInput },
  async (actor, { params, body }) => ({
    body: await answerAppeal(actor, String(params.id), String(params.decisionId), body),
  }),
);
