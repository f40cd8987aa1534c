"""A one-step workflow that calls `compile_report` by name, as a report round's workflow would."""

from __future__ import annotations

import datetime as dt

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from arshjul.compile.model import CompileReportInput, CompileReportResult
    from arshjul.models.effects import ACTIVITY_COMPILE_REPORT


@workflow.defn
class CompileOnceWorkflow:
    """Runs the compile_report activity once and returns its result."""

    @workflow.run
    async def run(self, request: CompileReportInput) -> CompileReportResult:
        """Compiles the requested report period."""
        return await workflow.execute_activity(
            ACTIVITY_COMPILE_REPORT,
            request,
            result_type=CompileReportResult,
            start_to_close_timeout=dt.timedelta(minutes=2),
        )
