// The emulator's API shapes, apart from its routes: the `emulator --api-shape` declaration reads them at start-up.
/**
 * Which token routes the emulated API has (docs/devops-api.md): `docs` (the current docs: every token route), `spec` (the published
 * OpenAPI 2.3.0: `/v2/tokens` is POST only, listing and revoking only under `/v2/clientIdSecrets`, and a create answer
 * without the optional `token`), `mixed` (`GET /v2/tokens` answers, `DELETE /v2/tokens/{id}` does not exist). Error
 * bodies are the same in every shape: each route's form and its source are in error-bodies.ts.
 */
export const API_SHAPES = ['docs', 'spec', 'mixed'] as const;
export type ApiShape = (typeof API_SHAPES)[number];
