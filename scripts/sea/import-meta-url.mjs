// The bundle's chunks are ES modules that make a `require` from import.meta.url (their banner, scripts/build.mjs);
// the single executable runs them as one CommonJS script, where that URL is the executable's own.
import { pathToFileURL } from 'node:url';

export const import_meta_url = pathToFileURL(process.execPath).href;
