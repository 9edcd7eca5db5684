//! GitHub Actions workflows as the checks need them: triggers, top-level and job permissions,
//! jobs (runs-on, matrix OSes, default shell) and steps (`uses`, `run`, `shell`, `if`, `with`)
//! with the line of each value. A file that is not valid YAML, or not a mapping, is an error
//! naming the line.

use crate::yaml::{self, Node};

#[derive(Debug, Clone, Default)]
pub struct Step {
    pub line: u32,
    pub uses: Option<(String, u32)>,
    /// `uses` is a YAML alias of a reference made elsewhere in the file.
    pub uses_alias: bool,
    pub run: Option<(String, u32)>,
    pub shell: Option<String>,
    pub cond: Option<String>,
    pub with: Vec<(String, String, u32)>,
}

#[derive(Debug, Clone, Default)]
pub struct Job {
    pub id: String,
    pub line: u32,
    pub runs_on: Vec<String>,
    pub matrix_os: Vec<String>,
    pub default_shell: Option<String>,
    pub permissions: Option<Node>,
    /// A reusable-workflow call (`jobs.<id>.uses`).
    pub uses: Option<(String, u32)>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Default)]
pub struct Workflow {
    pub triggers: Vec<String>,
    pub permissions: Option<Node>,
    pub default_shell: Option<String>,
    pub jobs: Vec<Job>,
}

#[derive(Debug, Clone)]
pub struct WorkflowError {
    pub line: Option<u32>,
    pub message: String,
}

fn strs(n: &Node) -> Vec<String> {
    match n.as_str() {
        Some(s) => vec![s.to_string()],
        None => n
            .items()
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
    }
}

pub fn parse(text: &str) -> Result<Workflow, WorkflowError> {
    let root = yaml::parse(text).map_err(|e| WorkflowError {
        line: e.line,
        message: e.message,
    })?;
    if matches!(root.value, yaml::Value::Null) {
        return Ok(Workflow::default());
    }
    if !root.is_map() {
        return Err(WorkflowError {
            line: Some(root.line),
            message: "a workflow must be a mapping".into(),
        });
    }
    let mut wf = Workflow::default();
    if let Some(on) = root.get("on") {
        wf.triggers = match &on.value {
            yaml::Value::Map(m) => m.iter().map(|(k, _)| k.clone()).collect(),
            _ => strs(on),
        };
    }
    wf.permissions = root.get("permissions").cloned();
    wf.default_shell = root
        .get("defaults")
        .and_then(|d| d.get("run"))
        .and_then(|r| r.str_at("shell"))
        .map(str::to_string);
    if let Some(jobs) = root.get("jobs") {
        for (id, j) in jobs.entries() {
            let mut job = Job {
                id: id.clone(),
                line: j.line,
                permissions: j.get("permissions").cloned(),
                default_shell: j
                    .get("defaults")
                    .and_then(|d| d.get("run"))
                    .and_then(|r| r.str_at("shell"))
                    .map(str::to_string),
                uses: j
                    .get("uses")
                    .and_then(|u| u.as_str().map(|s| (s.to_string(), u.line))),
                ..Job::default()
            };
            if let Some(r) = j.get("runs-on") {
                job.runs_on = match r.get("labels") {
                    Some(l) => strs(l),
                    None => strs(r),
                };
            }
            if let Some(m) = j.get("strategy").and_then(|s| s.get("matrix")) {
                if let Some(os) = m.get("os") {
                    job.matrix_os.extend(strs(os));
                }
                for inc in m.get("include").map(|i| i.items()).unwrap_or(&[]) {
                    if let Some(os) = inc.str_at("os") {
                        job.matrix_os.push(os.to_string());
                    }
                }
            }
            for s in j.get("steps").map(|s| s.items()).unwrap_or(&[]) {
                let step = Step {
                    line: s.line,
                    uses: s
                        .get("uses")
                        .and_then(|u| u.as_str().map(|v| (v.to_string(), u.line))),
                    uses_alias: s.get("uses").is_some_and(|u| u.alias),
                    run: s
                        .get("run")
                        .and_then(|u| u.as_str().map(|v| (v.to_string(), u.line))),
                    shell: s.str_at("shell").map(str::to_string),
                    cond: s.str_at("if").map(str::to_string),
                    with: s
                        .get("with")
                        .map(|w| {
                            w.entries()
                                .iter()
                                .filter_map(|(k, v)| {
                                    v.as_str().map(|s| (k.clone(), s.to_string(), v.line))
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                };
                job.steps.push(step);
            }
            wf.jobs.push(job);
        }
    }
    Ok(wf)
}

/// The shell GitHub Actions uses for a `run` step: the step's, the job's default, the
/// workflow's default, else pwsh on Windows runners and bash elsewhere. `None` when the runner
/// OS cannot be determined (a `matrix.os` expression without a matrix).
pub fn step_shell(wf: &Workflow, job: &Job, step: &Step) -> Option<String> {
    if let Some(s) = step.shell.as_ref().filter(|s| !s.is_empty()) {
        return Some(s.clone());
    }
    if let Some(s) = job.default_shell.as_ref().or(wf.default_shell.as_ref()) {
        return Some(s.clone());
    }
    if let Some(c) = &step.cond {
        let l = c.to_ascii_lowercase().replace(' ', "");
        if l.contains("runner.os=='windows'")
            || l.contains("runner.os==\"windows\"")
            || l.contains("${{startswith(runner.os,'windows')")
            || l.contains("${{startswith(runner.os,\"windows\")")
            || l.contains("matrix.os=='windows-")
            || l.contains("matrix.os==\"windows-")
        {
            return Some("pwsh".into());
        }
    }
    let from_matrix = job.runs_on.len() == 1 && job.runs_on[0].contains("matrix.os");
    let oses: &[String] = if from_matrix {
        &job.matrix_os
    } else {
        &job.runs_on
    };
    if oses.is_empty() {
        return if from_matrix {
            None
        } else {
            Some("bash".into())
        };
    }
    if oses
        .iter()
        .all(|o| o.to_ascii_lowercase().starts_with("windows"))
    {
        Some("pwsh".into())
    } else {
        Some("bash".into())
    }
}
