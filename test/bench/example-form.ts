import * as fs from 'node:fs';
import * as path from 'node:path';
import { formFromDocument, parseEvaluationDocument, type EvaluationForm } from '@app/domain';

/** The example form with row ids, as the import would store it. */
export function exampleForm(): EvaluationForm {
  const document = JSON.parse(
    fs.readFileSync(path.resolve(__dirname, '../fixtures/wangcheng-2021.json'), 'utf8'),
  );
  const parsed = parseEvaluationDocument(document);
  if (!parsed.ok) throw new Error('the example document does not parse');
  return formFromDocument(parsed.content);
}
