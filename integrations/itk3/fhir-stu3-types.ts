/// <reference types="fhir" />
/**
 * The FHIR STU3 types of @types/fhir. Its 3.0.x releases (the project's pin) declare them in a global namespace
 * named `fhir` (later releases call it `fhir3`); the project's tsconfig does not load global @types packages, so
 * this module references it and the rest of the ITK3 code imports the types from here.
 */
export type Resource = fhir.Resource;
export type Bundle = fhir.Bundle;
export type BundleEntry = fhir.BundleEntry;
export type MessageHeader = fhir.MessageHeader;
export type Composition = fhir.Composition;
export type Binary = fhir.Binary;
export type Patient = fhir.Patient;
export type Practitioner = fhir.Practitioner;
export type Organization = fhir.Organization;
export type OperationOutcome = fhir.OperationOutcome;
export type Extension = fhir.Extension;
export type Coding = fhir.Coding;
export type Reference = fhir.Reference;
export type HumanName = fhir.HumanName;
