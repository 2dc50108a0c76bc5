// CommonJS entry for Node (`require('certbridge')`): the same wasm-bindgen
// glue as the ESM entries, converted to CommonJS at build time
// (pkg/certbridge_wasm.cjs, scripts/bindings-wasm.sh), instantiated
// synchronously from the one .wasm file. A program that both imports and
// requires the package gets two instances (Node's dual-package hazard):
// records are plain data and `isCertbridgeError` checks the name, so both
// interoperate, but a class instance (a key, a client) belongs to its own.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const glue = require('./pkg/certbridge_wasm.cjs');

glue.initSync({ module: readFileSync(join(__dirname, 'pkg', 'certbridge_wasm_bg.wasm')) });

// As `export *` in index.node.js: everything but the default `init`.
const { default: _init, ...api } = glue;
module.exports = { ...api, isCertbridgeError: require('./pkg/errors.cjs').isCertbridgeError };
