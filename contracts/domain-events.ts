/**
 * The platform's domain events: published by the projects API (lambda/platform), routed by the bus's rules (lib/platform/events).
 *
 * @packageDocumentation
 */

/** Source of every domain event the platform publishes on its bus. */
export const DOMAIN_EVENT_SOURCE = 'uk-home-improvement.platform';

/** Detail types of the platform's domain events: a contract between publishers and the bus's rules. */
export const DOMAIN_EVENTS = {
  projectCreated: 'ProjectCreated',
  quoteRequested: 'QuoteRequested',
  contractSigned: 'ContractSigned',
} as const;
