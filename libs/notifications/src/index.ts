// Public door of @coldchain/notifications: channels (one folder per provider
// behind NotificationChannel, chosen by createChannels), rendering,
// acknowledgement helpers, routing policy and the delivery core.
export * from './notifications.defaults.js';
export * from './notifications.logger.js';
export * from './config/notifications-env.js';

export * from './channels/notification-channel.js';
export * from './channels/delivery.error.js';
export * from './channels/channel.factory.js';
export * from './channels/outbox/outbox.provider.js';
export * from './channels/email/smtp/smtp-email.provider.js';
export * from './channels/email/smtp/smtp-error.mapper.js';
export * from './channels/twilio/twilio-client.js';
export * from './channels/twilio/twilio-error.mapper.js';
export * from './channels/sms/twilio/twilio-sms.provider.js';
export * from './channels/voice/twilio/twilio-voice.provider.js';
export * from './channels/webhook/webhook.provider.js';
export * from './channels/webhook/webhook-signature.js';

export * from './render/rendered-alert.js';
export * from './render/alert.renderer.js';
export * from './render/gsm7.js';
export * from './render/format.js';
export * from './channels/twilio/twilio-webhooks.js';

export * from './ack/ack-link.js';
export * from './ack/ack-reply.js';
export * from './ack/in-memory-ack-audit.adapter.js';
export * from './ack/acknowledge.js';

export * from './routing/contact.js';
export * from './routing/local-time.js';
export * from './routing/on-call.js';
export * from './routing/quiet-hours.js';
export * from './routing/routing-policy.js';
export * from './routing/rate-limit.js';
export * from './routing/storm.js';
export * from './routing/routing-directory.js';

export * from './notifier/alert-notifier.js';

export * from './delivery/in-memory-delivery-log.adapter.js';
export * from './delivery/backoff.js';
export * from './delivery/delivery.service.js';
// Contract suites of the two ports: test/contracts/delivery-log.contract.ts, test/contracts/ack-audit.contract.ts.

// The notifier's Nest side: alert events in from the bus, Twilio's webhooks in over HTTP.
export * from './notifier/notifications-store.module.js';
export * from './notifier/notifier.module.js';
export * from './notifier/notifier.providers.js';
