/* Names of decisions, verdicts, dimensions and statuses, translated. */
#include "ecorule.h"
#include "i18n.h"

const char *er_decision_name(er_decision decision)
{
	switch (decision) {
	case ER_DECISION_ADMIT: return _("admitted");
	case ER_DECISION_CONDITIONAL: return _("conditionally admitted");
	case ER_DECISION_RESTRICTED: return _("restricted");
	case ER_DECISION_REJECTED: return _("rejected");
	case ER_DECISION_NEEDS_INFO: return _("needs information");
	}
	return "?";
}

const char *er_verdict_name(er_verdict verdict)
{
	switch (verdict) {
	case ER_VERDICT_GUIDE: return _("guide");
	case ER_VERDICT_EXIT: return _("exit");
	case ER_VERDICT_REQUIRE: return _("require");
	case ER_VERDICT_RESTRICT: return _("restrict");
	case ER_VERDICT_FORBID: return _("forbid");
	case ER_VERDICT_COUNT: break;
	}
	return "?";
}

const char *er_dimension_name(er_dimension dimension)
{
	switch (dimension) {
	case ER_DIM_LAYOUT: return _("spatial layout constraints");
	case ER_DIM_EMISSION: return _("pollutant emission control");
	case ER_DIM_RISK: return _("environmental risk prevention");
	case ER_DIM_RESOURCE: return _("resource use efficiency");
	case ER_DIM_COUNT: break;
	}
	return "?";
}

const char *er_status_name(er_status status)
{
	switch (status) {
	case ER_OK: return _("success");
	case ER_E_NOMEM: return _("out of memory");
	case ER_E_IO: return _("input/output error");
	case ER_E_FORMAT: return _("invalid bytecode file");
	case ER_E_VERSION: return _("unsupported bytecode version");
	case ER_E_OVERFLOW: return _("decimal overflow");
	case ER_E_INEXACT: return _("inexact division or unit conversion");
	case ER_E_DIVZERO: return _("division by zero");
	case ER_E_INPUT: return _("invalid input value");
	}
	return "?";
}
