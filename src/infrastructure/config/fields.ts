// The field builders live with the job schemas (application ring); config's own sections use them too.
export { acceptsSubstitutedText, booleanField, numberField, optionalText, requiredText, textWithDefault, toBoolean, toNumber } from '../../application/jobs/schemas/fields';
