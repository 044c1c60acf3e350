/**
 * The one place that imports the CDKTF core library.
 *
 * Everything else imports these names from here, so that moving to CDK Terrain (`cdktn`), the
 * community fork of CDKTF, is a change to this file only (ARCHITECTURE.md principle 7).
 * Provider bindings are imported from their own `lib/<resource>` modules, never a package root.
 */
export {
  App,
  Aspects,
  Fn,
  Lazy,
  LocalBackend,
  S3Backend,
  TerraformIterator,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  Testing,
  Token,
  Op,
} from "cdktf";
export type { IAspect, ITerraformDependable, TerraformResource } from "cdktf";
