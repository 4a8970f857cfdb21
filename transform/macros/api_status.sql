{#- The status rule read from the APIs' answers, for one account or a whole artist:
    active = in the latest answer; terminated = absent for more than 28 days after once being
    seen; inactive = otherwise (absent from the latest answer, or never seen active). -#}
{% macro api_status(is_active, latest_answer_on, last_active_on) -%}
    case
        when {{ is_active }} then 'active'
        when {{ last_active_on }} is not null and {{ latest_answer_on }} - {{ last_active_on }} > 28 then 'terminated'
        else 'inactive'
    end
{%- endmacro %}
