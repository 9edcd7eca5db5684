// Runs the CSAF 2.0 schema test and mandatory tests (section 6.1 of the CSAF standard) of
// @secvisogram/csaf-validator-lib on every file given on the command line.
//
//   npm install --no-save @secvisogram/csaf-validator-lib
//   node .ci/csaf-validate.mjs out/*.csaf.json
//
// Set CSAF_VALIDATOR_LIB to the package directory when it is installed elsewhere. Exits 1 when a
// file fails a test, 2 when a file cannot be read.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const lib = process.env.CSAF_VALIDATOR_LIB
const load = async (name) =>
  lib
    ? import(pathToFileURL(path.join(lib, name)).href)
    : import(`@secvisogram/csaf-validator-lib/${name}`)

const validate = (await load('validate.js')).default
const mandatory = await load('mandatoryTests.js')
const files = process.argv.slice(2)
if (files.length === 0) {
  console.error('usage: node .ci/csaf-validate.mjs FILE...')
  process.exit(2)
}

let failed = 0
for (const file of files) {
  let doc
  try {
    doc = JSON.parse(await readFile(file, 'utf8'))
  } catch (e) {
    console.error(`${file}: cannot read: ${e.message}`)
    process.exit(2)
  }
  // mandatoryTests.js exports the strict schema test with the 6.1.x tests.
  const tests = Object.values(mandatory)
  const result = await validate(tests, doc)
  const bad = result.tests.filter((t) => !t.isValid || t.errors.length > 0)
  if (bad.length === 0) {
    console.log(`${file}: ok (${result.tests.length} tests)`)
    continue
  }
  failed++
  for (const t of bad) {
    for (const e of t.errors) {
      console.log(`${file}: ${t.name}: ${e.instancePath} ${e.message}`)
    }
  }
}
process.exit(failed ? 1 : 0)
