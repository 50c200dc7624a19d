-- The W3C traceparent of the request (or message) that wrote the event, so the queue consumers
-- and their outbound calls continue the same trace (issue 14). Null for events written before.
ALTER TABLE `outbox_events` ADD `traceparent` text;
