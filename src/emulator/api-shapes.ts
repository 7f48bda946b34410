// The emulator's API shapes, apart from its routes: the `emulator --api-shape` declaration reads them at start-up.
/**
 * Which routes and error bodies the emulated API has (docs/devops-api.md): `docs` (the current docs: every token route,
 * `{"errors":[...]}` bodies), `spec` (the published OpenAPI 2.3.0: `/v2/tokens` is POST only, listing and revoking
 * only under `/v2/clientIdSecrets`, token-create errors in text/plain, role permission errors a bare JSON string),
 * `mixed` (`GET /v2/tokens` answers, `DELETE /v2/tokens/{id}` does not exist).
 */
export const API_SHAPES = ['docs', 'spec', 'mixed'] as const;
export type ApiShape = (typeof API_SHAPES)[number];
