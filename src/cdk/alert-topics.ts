import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { AlarmSeverity } from './alarm-defaults.js';

/** Where alarm notifications go. */
export interface AlertOptions {
  /** E-mail addresses subscribed to the critical topic (each must confirm). @default none */
  readonly criticalEmails?: readonly string[];
  /** E-mail addresses subscribed to the warning topic (each must confirm). @default none */
  readonly warningEmails?: readonly string[];
  /**
   * Customer-managed KMS key for both topics. CloudWatch alarms cannot publish to a topic
   * encrypted with the AWS-managed `alias/aws/sns` key, so a key of your own is required;
   * when given, it must allow `cloudwatch.amazonaws.com` to use `kms:Decrypt` and
   * `kms:GenerateDataKey*` (added automatically to a key defined in the same app).
   * @default a new key with rotation enabled
   */
  readonly encryptionKey?: kms.IKey;
}

export interface AlertTopicsProps extends AlertOptions {
  /** Prefix of the topics' display names, e.g. `orders-api prod`. */
  readonly displayNamePrefix: string;
}

/**
 * The critical and warning SNS topics alarms notify: KMS-encrypted with a key CloudWatch may
 * use, HTTPS-only (a topic policy denies publishing without TLS), publishable by this
 * account's CloudWatch alarms, with optional e-mail subscriptions.
 *
 * @example
 * const topics = new AlertTopics(this, 'Alerts', { displayNamePrefix: 'orders-api prod', criticalEmails: ['oncall@example.com'] });
 * alarm.addAlarmAction(new SnsAction(topics.topicFor('critical')));
 */
export class AlertTopics extends Construct {
  /** The key both topics are encrypted with. */
  readonly encryptionKey: kms.IKey;
  /** Alarms that need someone now. */
  readonly critical: sns.Topic;
  /** Alarms worth a look during working hours. */
  readonly warning: sns.Topic;
  #budgetKeyAllowed = false;

  constructor(scope: Construct, id: string, props: AlertTopicsProps) {
    super(scope, id);
    this.encryptionKey =
      props.encryptionKey ??
      new kms.Key(this, 'Key', {
        enableKeyRotation: true,
        description: `Encrypts the ${props.displayNamePrefix} alarm topics`,
      });
    // CloudWatch alarms publish as the CloudWatch service and need the key to encrypt the
    // message (an imported key ignores this: its policy is managed elsewhere).
    this.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheKey',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.critical = this.#topic(
      'Critical',
      `${props.displayNamePrefix} critical alarms`,
      props.criticalEmails,
    );
    this.warning = this.#topic('Warning', `${props.displayNamePrefix} warning alarms`, props.warningEmails);
  }

  /** The topic for alarms of this severity. */
  topicFor(severity: AlarmSeverity): sns.Topic {
    return severity === 'critical' ? this.critical : this.warning;
  }

  /**
   * Lets AWS Budgets of this account publish to the topic of this severity: a statement in the
   * topic policy and, on a key defined in the app, the right to encrypt with the key (an
   * imported key must already allow `budgets.amazonaws.com` `kms:GenerateDataKey*` and
   * `kms:Decrypt`).
   *
   * @example
   * const topic = alerts.allowBudgetNotifications('warning');
   */
  allowBudgetNotifications(severity: AlarmSeverity): sns.Topic {
    const topic = this.topicFor(severity);
    const stack = Stack.of(this);
    const fromThisAccount = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        // As AWS Budgets' own guide writes it: any budget of this account.
        'aws:SourceArn': stack.formatArn({
          service: 'budgets',
          region: '',
          resource: '*',
          arnFormat: ArnFormat.NO_RESOURCE_NAME,
        }),
      },
    };
    if (!this.#budgetKeyAllowed) {
      this.#budgetKeyAllowed = true;
      this.encryptionKey.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowBudgetsToUseTheKey',
          principals: [new iam.ServicePrincipal('budgets.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: fromThisAccount,
        }),
      );
    }
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowBudgetsToPublish',
        principals: [new iam.ServicePrincipal('budgets.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: fromThisAccount,
      }),
    );
    return topic;
  }

  #topic(id: string, displayName: string, emails: readonly string[] = []): sns.Topic {
    const topic = new sns.Topic(this, id, {
      displayName: displayName.slice(0, 100),
      masterKey: this.encryptionKey,
      enforceSSL: true,
    });
    // A topic policy replaces the default one, so the alarms' right to publish is stated:
    // only CloudWatch alarms of this account, in this region.
    const stack = Stack.of(this);
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    for (const email of emails) topic.addSubscription(new subscriptions.EmailSubscription(email));
    return topic;
  }
}
