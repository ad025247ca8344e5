import { Fn } from "cdktf";

/**
 * The account id in an ARN, as a Terraform expression. Stacks use it for a deployment that pins no account id: taken
 * from an ARN the stack creates or reads, because aws_caller_identity would need AWS credentials at plan time.
 */
export function accountInArn(arn: string): string {
  return Fn.element(Fn.split(":", arn), 4);
}
