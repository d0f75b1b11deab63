"""The ntp_poverty project's own dbt-score rules: our layering and naming conventions as a lint.

dbt-score's generic rules check documentation, owners and tests; these add what
../shared/CONVENTIONS.md asks of this project's structure (``make test`` runs ``dbt-score lint``
with them and fails on any violation):

* marts are named by business concept (no ``stg_``/``int_``/``dim_``/``fct_`` prefix), are public in a
  group with an owner, enforce their contracts and show an example query;
* core holds ``dim_``/``fct_``/``bridge_`` models; intermediates are ``int_`` in the ``intermediate``
  schema; staging is ``stg_<source>__<entity>``; audit is a layer of its own (schema ``audit``, no
  layer prefix).
"""

from dbt_score import Model, RuleViolation, rule

LAYER_PREFIXES = ("stg_", "int_", "dim_", "fct_", "bridge_")


def _folder(model: Model) -> str:
    """The layer folder of a model: models/<layer>/..., with intermediate folders as their own layer."""
    parts = model.original_file_path.split("/")
    return "intermediate" if "intermediate" in parts else (parts[1] if len(parts) > 2 else "")


@rule
def mart_is_named_by_business_concept(model: Model) -> RuleViolation | None:
    """A mart is named for what it answers (funding_mix), not for a layer."""
    if _folder(model) == "marts" and model.name.startswith(LAYER_PREFIXES):
        return RuleViolation(f"mart {model.name} carries a layer prefix; name it by business concept")
    return None


@rule
def mart_is_public_with_an_owner_and_a_contract(model: Model) -> RuleViolation | None:
    """What analysts read is a published interface: public, owned by a group, contract enforced."""
    if _folder(model) != "marts":
        return None
    contract = model.config.get("contract") or {}
    if model.access != "public" or not model.group or not contract.get("enforced"):
        return RuleViolation(
            f"mart {model.name}: access={model.access}, group={model.group}, "
            f"contract enforced={contract.get('enforced')}"
        )
    return None


@rule
def mart_shows_an_example_query(model: Model) -> RuleViolation | None:
    """An analyst opening a mart's page in the docs site sees how to query it."""
    if _folder(model) == "marts" and "```sql" not in (model.description or ""):
        return RuleViolation(f"mart {model.name}: the description has no ```sql example")
    return None


@rule
def core_holds_dimensions_facts_and_bridges(model: Model) -> RuleViolation | None:
    """The conformed layer is dimensions (dim_), facts (fct_) and bridges (bridge_)."""
    if _folder(model) == "core" and not model.name.startswith(("dim_", "fct_", "bridge_")):
        return RuleViolation(f"core model {model.name} is not dim_/fct_/bridge_")
    return None


@rule
def intermediates_stay_out_of_readers_schemas(model: Model) -> RuleViolation | None:
    """Building blocks are int_ models in the intermediate schema, and only there."""
    is_int = model.name.startswith("int_")
    in_folder = _folder(model) == "intermediate"
    if is_int != in_folder or (is_int and model.schema != "intermediate"):
        return RuleViolation(
            f"{model.name}: int_ models live in an intermediate folder and schema "
            f"(folder {_folder(model)}, schema {model.schema})"
        )
    return None


@rule
def staging_is_named_after_source_and_entity(model: Model) -> RuleViolation | None:
    """Staging models are stg_<source>__<entity>, in the staging schema."""
    if _folder(model) == "staging" and (
        not model.name.startswith("stg_") or "__" not in model.name or model.schema != "staging"
    ):
        return RuleViolation(f"staging model {model.name} is not stg_<source>__<entity> in schema staging")
    return None


@rule
def audit_is_a_layer_of_its_own(model: Model) -> RuleViolation | None:
    """Audit models (checks and findings) live in schema audit without another layer's prefix."""
    if _folder(model) == "audit" and (model.schema != "audit" or model.name.startswith(LAYER_PREFIXES)):
        return RuleViolation(
            f"audit model {model.name} (schema {model.schema}) must be an audit-layer name in schema audit"
        )
    return None
