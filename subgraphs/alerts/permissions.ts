/**
 * Who may ask for alerts and webhooks: the roles alerts are routed to (access.md: the head,
 * the Virtual School officer, the social worker and the designated teacher; a teacher never).
 * Which alerts each gets is decided in the resolvers (audience, scope and category per
 * alert), as child scope is everywhere. Redelivering a dead letter is the head's.
 */
import { guardedByParent, hasRole, subgraphShield } from '../../lib/authz/rules';
import { RECIPIENT_ROLES } from '../../events/routing';

const recipient = hasRole(...RECIPIENT_ROLES);

export const alertsPermissions = subgraphShield({
  Query: {
    alerts: recipient,
    alertDigest: recipient,
    webhookSubscriptions: recipient,
    webhookDeadLetters: recipient,
  },
  Mutation: {
    acknowledgeAlert: recipient,
    registerWebhook: recipient,
    disableWebhook: recipient,
    redeliverWebhook: hasRole('virtual-school-head'),
  },
  // Reachable only through the guarded fields above.
  AlertConnection: guardedByParent,
  AlertEdge: guardedByParent,
  PageInfo: guardedByParent,
  Alert: guardedByParent,
  AlertFact: guardedByParent,
  Acknowledgement: guardedByParent,
  AlertDigest: guardedByParent,
  AlertTypeCount: guardedByParent,
  Child: guardedByParent,
  School: guardedByParent,
  RegisteredWebhook: guardedByParent,
  WebhookSubscription: guardedByParent,
  WebhookDelivery: guardedByParent,
});
