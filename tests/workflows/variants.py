"""Changed copies of the round workflow for the replay guard test (importable: sandbox rule).

The change is the natural one from issue 10: the extension handler also mails the unit.
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from arshjul.models.rounds import (
        ROUND_WORKFLOW,
        UPDATE_EXTEND,
        ExtendInput,
        RoundSpec,
        RoundStatus,
        UpdateResult,
    )
    from arshjul.workflows.round import ReportRoundWorkflow

PATCH_ID = "test-extension-mail"


@workflow.defn(name=ROUND_WORKFLOW)
class UnguardedExtensionMail(ReportRoundWorkflow):
    """Mails the unit about an extension with no guard: running rounds cannot replay it."""

    @workflow.run
    async def run(self, spec: RoundSpec) -> RoundStatus:
        """The round as it is."""
        return await super().run(spec)

    @workflow.update(name=UPDATE_EXTEND)
    async def extend_deadline(self, inp: ExtendInput) -> UpdateResult:
        """The extension, then one more activity call."""
        result = await super().extend_deadline(inp)
        await self._tell_unit()
        return result

    @extend_deadline.validator
    def _validate_extension(self, inp: ExtendInput) -> None:
        super()._validate_extend(inp)

    async def _tell_unit(self) -> None:
        await self._mail("reminder", f"extended/{self.attempt}", self.spec.recipients)


@workflow.defn(name=ROUND_WORKFLOW)
class GuardedExtensionMail(UnguardedExtensionMail):
    """The same change behind workflow.patched: old histories replay, new rounds send the mail."""

    @workflow.run
    async def run(self, spec: RoundSpec) -> RoundStatus:
        """The round as it is."""
        return await super().run(spec)

    async def _tell_unit(self) -> None:
        if workflow.patched(PATCH_ID):
            await super()._tell_unit()
