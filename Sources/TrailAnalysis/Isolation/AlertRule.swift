import TrailCore

/// The EventBridge rule that fires when containment is applied, and a matcher for testing it.
///
/// The pattern widely copied from incident-response guides matches the policy
/// `arn:aws:iam::aws:policy/AWSDenyPolicy`, which does not exist, so it never fires. This one
/// matches the managed policy the plan attaches, `AWSDenyAll`, on users and roles, and the inline
/// policy `AWSRevokeOlderSessions` it puts on roles.
package enum AlertRule {
    package static let ruleName = "trailhound-containment-applied"
    package static let denyAllPolicyARN = "arn:aws:iam::aws:policy/AWSDenyAll"
    package static let revocationPolicyName = "AWSRevokeOlderSessions"
    /// IAM is a global service: its CloudTrail events reach EventBridge in us-east-1.
    package static let region = "us-east-1"

    /// The event pattern, in EventBridge's syntax.
    package static var eventPattern: JSONValue {
        .object([
            ("source", .array([.string("aws.iam")])),
            ("detail-type", .array([.string("AWS API Call via CloudTrail")])),
            (
                "detail",
                .object([
                    ("eventSource", .array([.string("iam.amazonaws.com")])),
                    (
                        "$or",
                        .array([
                            .object([
                                ("eventName", .array([.string("AttachUserPolicy"), .string("AttachRolePolicy")])),
                                ("requestParameters", .object([("policyArn", .array([.string(denyAllPolicyARN)]))])),
                            ]),
                            .object([
                                ("eventName", .array([.string("PutRolePolicy")])),
                                (
                                    "requestParameters",
                                    .object([("policyName", .array([.string(revocationPolicyName)]))])
                                ),
                            ]),
                        ])
                    ),
                ])
            ),
        ])
    }

    /// The statement to add to the SNS topic's access policy so that EventBridge may publish.
    package static func topicPolicyStatement(topicARN: String) -> JSONValue {
        .object([
            ("Sid", .string("AllowEventBridgeContainmentAlerts")),
            ("Effect", .string("Allow")),
            ("Principal", .object([("Service", .string("events.amazonaws.com"))])),
            ("Action", .string("sns:Publish")),
            ("Resource", .string(topicARN)),
        ])
    }

    /// `put-rule` and `put-targets` for the rule, sending to `topicARN`.
    package static func commands(topicARN: String) -> [[String]] {
        [
            [
                "aws", "events", "put-rule", "--region", region, "--name", ruleName, "--event-pattern",
                eventPattern.rendered(), "--description", "Containment applied by an isolation plan",
            ],
            [
                "aws", "events", "put-targets", "--region", region, "--rule", ruleName, "--targets",
                "Id=containment-sns,Arn=\(topicARN)",
            ],
        ]
    }

    // MARK: - Matching

    /// Whether `event` matches `pattern` under EventBridge's rules for the subset used here:
    /// arrays of allowed values, nested objects, and `$or` of sub-patterns.
    package static func matches(_ event: JSONValue, pattern: JSONValue) -> Bool {
        guard case .object(let members) = pattern else { return false }
        return members.allSatisfy { key, expected in
            if key == "$or", case .array(let alternatives) = expected {
                return alternatives.contains { matches(event, pattern: $0) }
            }
            let value = member(key, of: event)
            switch expected {
            case .array(let allowed):
                return allowed.contains { candidate in value.map { $0 == candidate } ?? false }
            case .object:
                return value.map { matches($0, pattern: expected) } ?? false
            default:
                return false
            }
        }
    }

    private static func member(_ key: String, of value: JSONValue) -> JSONValue? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.0 == key }?.1
    }
}
