import { Field, InputType, ObjectType } from '@nestjs/graphql';

/**
 * A registered district or department as the API shows it: the code it was registered under and its name.
 * The registry owns it; a form's department and district (evaluation.types) are copies of these entries.
 */
@ObjectType('CodeName')
export class CodeNameView {
  @Field() code!: string;
  @Field() name!: string;
}

@ObjectType('Department')
export class DepartmentView {
  @Field() code!: string;
  @Field() name!: string;
  @Field(() => CodeNameView) district!: CodeNameView;
}

@InputType()
export class RegisterDistrictInput {
  @Field() code!: string;
  @Field() name!: string;
}

@InputType()
export class RegisterDepartmentInput {
  @Field() code!: string;
  @Field() name!: string;
  @Field() districtCode!: string;
}
