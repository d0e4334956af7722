/**
 * Typed errors of the ITK3 module. Messages name the element and the reason, never a value: values can be patient
 * data (names, NHS numbers) and errors end up in logs and Temporal failure messages.
 */

/** Why an inbound message could not be read. */
export type Itk3ParseReason =
  | 'unreadable' // not XML or JSON, not well-formed, or a DTD
  | 'not-fhir' // well-formed, but not a FHIR resource in the FHIR namespace
  | 'unexpected-content' // FHIR, but not the message kind expected (e.g. not an ITK3 response)
  | 'missing-field' // a required element is absent
  | 'invalid-field'; // an element is present but its value is not acceptable

export class Itk3ParseError extends Error {
  constructor(
    readonly reason: Itk3ParseReason,
    /** The element concerned (FHIR path or MESH header name), when there is one. */
    readonly field: string | undefined,
    detail: string,
  ) {
    super(`cannot read ITK3/MESH message (${reason}${field ? ` at ${field}` : ''}): ${detail}`);
    this.name = 'Itk3ParseError';
  }
}

/** A resource handed to the serialiser does not fit the STU3 definitions: a bug in a builder, never user input. */
export class FhirSerialisationError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`cannot serialise FHIR element ${path}: ${reason}`);
    this.name = 'FhirSerialisationError';
  }
}
