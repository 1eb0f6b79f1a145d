namespace Capture.StationAgent.Core;

/// <summary>What the photographer does about a failed measure, in the words used at the stool.</summary>
public static class VerdictAdvice
{
    public static string ForMeasure(string measure) => measure switch
    {
        "face_count" => "one face only, looking at the camera / 画面中只能有一人，正视镜头",
        "face_width" => "step closer or zoom so the face fills the frame / 靠近或放大，脸部占满取景",
        "eye_height" => "head lower or camera higher: eyes in the upper third / 调整高度，双眼位于上三分之一",
        "hair_top" => "step back: leave room above the hair / 后退一点，头顶留出空间",
        "framing" => "centre the student, shoulders in frame / 人居中，肩膀入画",
        "head_roll" => "look straight, head level / 头摆正，平视镜头",
        "background_uniformity" => "even the background: no shadows or objects behind / 背景均匀，无阴影杂物",
        "background_colour" => "use the blue backdrop, light it evenly / 使用蓝色背景并均匀照明",
        "sharpness" => "hold still and refocus on the eyes / 保持不动，对焦眼睛",
        "exposure" => "more light (or less): fix the exposure / 调整光线或曝光",
        "highlight_clipping" => "less light on the face: no burnt-out skin / 减弱面部光线，避免过曝",
        "colour_cast" => "set white balance for the lamps / 调整白平衡",
        "file_size" => "shoot at full resolution, JPEG fine / 使用全尺寸高质量 JPEG",
        _ => "retake / 重拍",
    };
}
